package io.jenkins.plugins.azureml.blob.log;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Whether a trigger's polls work, from its polling log: how many polls in a row have failed, since when, the last
 * error and the last success. Push mode's event entries do not count. A failure is any poll that did not complete
 * ({@link PollEntry#failed()}); the first completed poll clears it.
 *
 * @param consecutiveFailures polls failed in a row up to the latest; 0 when the latest completed
 * @param firstFailure when the first of those failures happened (the oldest in the log if the log was trimmed)
 * @param lastFailure when the latest failure happened, or null if none is in the log
 * @param lastError the latest failure's message, or null
 * @param lastSuccess when the latest completed poll started, or null if none is in the log
 */
public record TriggerHealth(int consecutiveFailures, Instant firstFailure, Instant lastFailure, String lastError,
        Instant lastSuccess) {
    /** Nothing known yet: no poll logged. */
    public static final TriggerHealth UNKNOWN = new TriggerHealth(0, null, null, null, null);

    /**
     * @param entries a polling log, oldest first
     * @return the health after all of them
     */
    public static TriggerHealth of(List<PollEntry> entries) {
        TriggerHealth h = UNKNOWN;
        for (PollEntry e : entries) {
            h = h.after(e);
        }
        return h;
    }

    /**
     * @param e the next poll's entry
     * @return the health once that poll is counted
     */
    public TriggerHealth after(PollEntry e) {
        if (e.kind() == PollEntry.Kind.EVENTS) {
            return this; // the health of the listings, the safety net; failed events come back by themselves
        }
        if (!e.failed()) {
            return new TriggerHealth(0, null, lastFailure, lastError, e.started());
        }
        return new TriggerHealth(consecutiveFailures + 1, consecutiveFailures == 0 ? e.started() : firstFailure,
                e.started(), e.error(), lastSuccess);
    }

    /** Whether the latest poll failed. */
    public boolean failing() {
        return consecutiveFailures > 0;
    }

    /**
     * What the job page says while the trigger fails: how many polls, since when, the last error.
     *
     * @param zone the time zone to show times in
     * @return one or two sentences; empty if the latest poll completed
     */
    public String describe(ZoneId zone) {
        if (!failing()) {
            return "";
        }
        String since = PollingLogView.time(firstFailure, zone);
        String head = consecutiveFailures == 1 ? "The last Azure Blob poll failed (" + since + ")"
                : "The last " + consecutiveFailures + " Azure Blob polls failed, since " + since;
        String success = lastSuccess == null ? "; no poll in the log has succeeded"
                : "; last successful poll " + PollingLogView.time(lastSuccess, zone);
        return head + success + ". New blobs are found by the first poll that succeeds. Last error: " + LogEscaper.line(lastError);
    }
}
