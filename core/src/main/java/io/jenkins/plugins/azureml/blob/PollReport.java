package io.jenkins.plugins.azureml.blob;

import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azureml.blob.log.PollEntryText;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one {@link BlobPollCycle#run poll cycle}, as data and as the polling log entry.
 *
 * @param succeeded whether the poll, the scheduling and the state save all completed
 * @param changes the changes the poll found (empty when it failed)
 * @param scheduled how many of them were handed to the scheduler successfully
 * @param stateSaved whether the new state was saved
 * @param error what went wrong, or null
 * @param entry the polling log entry; in push mode it counts what the listing reconciled
 */
public record PollReport(boolean succeeded, List<BlobChange> changes, int scheduled, boolean stateSaved,
        String error, PollEntry entry) {

    public PollReport {
        changes = List.copyOf(changes);
    }

    /**
     * In push mode, the changes this listing scheduled that no event had fired (a sign of lost or late events); 0
     * without push mode.
     */
    public int reconciled() {
        return entry.reconciled();
    }

    /** In push mode, the changes the listing found that events fired while it was listing (not fired again). */
    public int firedByEvents() {
        return entry.firedByEvents();
    }

    /** The error, if the cycle failed. */
    public Optional<String> failure() {
        return Optional.ofNullable(error);
    }

    /** The poll's {@linkplain PollResult#warnings() warnings}, also in the entry. */
    public List<String> warnings() {
        return entry.warnings();
    }

    /** The polling log entry as text (UTC times, names escaped). */
    public String text() {
        return PollEntryText.render(entry);
    }
}
