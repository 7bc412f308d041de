package io.jenkins.plugins.azureml.blob;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one {@link BlobPollCycle#run poll cycle}, as data and as the text of the polling log.
 *
 * @param succeeded whether the poll, the scheduling and the state save all completed
 * @param changes the changes the poll found (empty when it failed)
 * @param scheduled how many of them were handed to the scheduler successfully
 * @param stateSaved whether the new state was saved
 * @param error what went wrong, or null
 * @param text the human-readable polling log entry
 * @param reconciled in push mode, the changes this listing scheduled that no event had fired (a sign of lost or
 *     late events); 0 without push mode
 * @param firedByEvents changes the listing found that events fired while it was listing (not fired again)
 */
public record PollReport(boolean succeeded, List<BlobChange> changes, int scheduled, boolean stateSaved,
        String error, String text, int reconciled, int firedByEvents) {

    public PollReport {
        changes = List.copyOf(changes);
    }

    /** A report of a poll without push mode. */
    public PollReport(boolean succeeded, List<BlobChange> changes, int scheduled, boolean stateSaved, String error,
            String text) {
        this(succeeded, changes, scheduled, stateSaved, error, text, 0, 0);
    }

    /** The error, if the cycle failed. */
    public Optional<String> failure() {
        return Optional.ofNullable(error);
    }
}
