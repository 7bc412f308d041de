package io.jenkins.plugins.azureml.blob.events;

import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.log.PollEntry;

import java.util.List;
import java.util.Map;

/**
 * What one {@link BlobEventCycle#run receive cycle} did.
 *
 * @param received messages received
 * @param otherEvents messages holding another event type, removed
 * @param malformed messages that were no event, removed
 * @param notWatched BlobCreated messages no job's watch covers, removed
 * @param poisoned messages set aside (moved to the poison queue) after too many tries
 * @param deleted messages removed from the queue (all of the above and the handled ones)
 * @param leftForRetry messages left in the queue because a job failed them; they come back
 * @param outcomes what the jobs did with the events, summed over jobs
 * @param fired per job id, the changes whose builds were scheduled
 * @param jobLogs per job id, its polling log entry (only jobs with events, or all when messages were removed)
 */
public record EventCycleReport(int received, int otherEvents, int malformed, int notWatched, int poisoned,
        int deleted, int leftForRetry, Map<EventOutcome, Integer> outcomes, Map<String, List<BlobChange>> fired,
        Map<String, PollEntry> jobLogs) {
    public EventCycleReport {
        outcomes = Map.copyOf(outcomes);
        fired = Map.copyOf(fired);
        jobLogs = Map.copyOf(jobLogs);
    }

    /** How many events ended with the outcome. */
    public int count(EventOutcome outcome) {
        return outcomes.getOrDefault(outcome, 0);
    }
}
