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
 * @param warnings the poll's {@linkplain PollResult#warnings() warnings}, also in the text
 * @param text the human-readable polling log entry
 */
public record PollReport(boolean succeeded, List<BlobChange> changes, int scheduled, boolean stateSaved,
        String error, List<String> warnings, String text) {

    public PollReport {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }

    /** The error, if the cycle failed. */
    public Optional<String> failure() {
        return Optional.ofNullable(error);
    }
}
