package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.client.models.RunReference;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a waiting step persists between polls and across a controller restart: the run, the absolute deadline, the
 * last status it printed, the current poll delay and the count of transient errors in a row. Plain values only,
 * no credential, no token. Immutable: {@link RunMonitor} returns the next one with each decision.
 */
public final class RunProgress implements Serializable {
    private static final long serialVersionUID = 1L;
    /** No deadline. */
    static final long NEVER = Long.MAX_VALUE;

    private final RunReference run;
    private final long deadlineEpochMillis;
    private final String lastReportedStatus;
    private final long currentDelayMillis;
    private final int consecutiveTransientErrors;

    RunProgress(RunReference run, long deadlineEpochMillis, String lastReportedStatus, long currentDelayMillis,
                int consecutiveTransientErrors) {
        this.run = Objects.requireNonNull(run, "run");
        this.deadlineEpochMillis = deadlineEpochMillis;
        this.lastReportedStatus = lastReportedStatus;
        this.currentDelayMillis = currentDelayMillis;
        this.consecutiveTransientErrors = consecutiveTransientErrors;
    }

    public RunReference getRun() {
        return run;
    }

    /** The absolute deadline, or null when waiting has no timeout. */
    public Instant getDeadline() {
        return deadlineEpochMillis == NEVER ? null : Instant.ofEpochMilli(deadlineEpochMillis);
    }

    long deadlineEpochMillis() {
        return deadlineEpochMillis;
    }

    /** The raw status text last printed, or null before the first. */
    public String getLastReportedStatus() {
        return lastReportedStatus;
    }

    /** The delay the next poll waits. */
    public Duration getCurrentDelay() {
        return Duration.ofMillis(currentDelayMillis);
    }

    long currentDelayMillis() {
        return currentDelayMillis;
    }

    public int getConsecutiveTransientErrors() {
        return consecutiveTransientErrors;
    }

    RunProgress with(String status, long delayMillis, int transientErrors) {
        return new RunProgress(run, deadlineEpochMillis, status, delayMillis, transientErrors);
    }

    @Override
    public String toString() {
        return "RunProgress{" + run.getRunId() + ", last=" + lastReportedStatus + ", delay=" + currentDelayMillis
                + "ms, errors=" + consecutiveTransientErrors + "}";
    }
}
