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
    /** When the wait began, the last status check answered, and the console last had a line; 0: not known. */
    private final long startedEpochMillis;
    private final long lastCheckedEpochMillis;
    private final long lastLineEpochMillis;
    /** Where following the run's logs stands; null before the first log poll (and in progress saved before logs). */
    private final LogCursor logs;

    RunProgress(RunReference run, long deadlineEpochMillis, String lastReportedStatus, long currentDelayMillis,
                int consecutiveTransientErrors) {
        this(run, deadlineEpochMillis, lastReportedStatus, currentDelayMillis, consecutiveTransientErrors, 0, 0, 0,
                null);
    }

    private RunProgress(RunReference run, long deadlineEpochMillis, String lastReportedStatus, long currentDelayMillis,
                int consecutiveTransientErrors, long startedEpochMillis, long lastCheckedEpochMillis,
                long lastLineEpochMillis, LogCursor logs) {
        this.run = Objects.requireNonNull(run, "run");
        this.deadlineEpochMillis = deadlineEpochMillis;
        this.lastReportedStatus = lastReportedStatus;
        this.currentDelayMillis = currentDelayMillis;
        this.consecutiveTransientErrors = consecutiveTransientErrors;
        this.startedEpochMillis = startedEpochMillis;
        this.lastCheckedEpochMillis = lastCheckedEpochMillis;
        this.lastLineEpochMillis = lastLineEpochMillis;
        this.logs = logs;
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

    /** When waiting began, or null when not known (a wait saved before this was recorded). */
    public Instant getStartedAt() {
        return startedEpochMillis == 0 ? null : Instant.ofEpochMilli(startedEpochMillis);
    }

    /** When Azure ML last answered a status check, or null before the first answer. */
    public Instant getLastCheckedAt() {
        return lastCheckedEpochMillis == 0 ? null : Instant.ofEpochMilli(lastCheckedEpochMillis);
    }

    /**
     * What a build page shows while waiting, e.g. {@code Running for 12 min, last checked 40 s ago}.
     *
     * @param now the current time
     */
    public String describe(Instant now) {
        return describe(lastReportedStatus, getStartedAt(), getLastCheckedAt(), now);
    }

    /**
     * The same from saved values (a build page keeps them, not the whole progress).
     *
     * @param status the last status, or null before the first
     * @param started when waiting began, or null if not known
     * @param checked when the status was last read, or null before the first read
     * @param now the current time
     */
    public static String describe(String status, Instant started, Instant checked, Instant now) {
        return (status == null ? "Submitted" : status)
                + (started == null ? "" : " for " + ElapsedTime.format(Duration.between(started, now)))
                + (checked == null ? ", not checked yet" : ", last checked "
                        + ElapsedTime.format(Duration.between(checked, now)) + " ago");
    }

    long lastLineEpochMillis() {
        return lastLineEpochMillis;
    }

    RunProgress with(String status, long delayMillis, int transientErrors) {
        return new RunProgress(run, deadlineEpochMillis, status, delayMillis, transientErrors, startedEpochMillis,
                lastCheckedEpochMillis, lastLineEpochMillis, logs);
    }

    /** This progress, begun at {@code nowMillis} (unless already begun) with a console line printed then. */
    RunProgress begun(long nowMillis) {
        return new RunProgress(run, deadlineEpochMillis, lastReportedStatus, currentDelayMillis,
                consecutiveTransientErrors, startedEpochMillis == 0 ? nowMillis : startedEpochMillis,
                lastCheckedEpochMillis, nowMillis, logs);
    }

    /** This progress after a status check answered at {@code nowMillis}; {@code printed}: a line went out then. */
    RunProgress checked(long nowMillis, boolean printed) {
        return new RunProgress(run, deadlineEpochMillis, lastReportedStatus, currentDelayMillis,
                consecutiveTransientErrors, startedEpochMillis == 0 ? nowMillis : startedEpochMillis, nowMillis,
                printed || lastLineEpochMillis == 0 ? nowMillis : lastLineEpochMillis, logs);
    }

    /** What of the run's logs was printed so far; {@link LogCursor#EMPTY} before any. */
    public LogCursor getLogCursor() {
        return logs == null ? LogCursor.EMPTY : logs;
    }

    /** This progress with the log cursor of the lines just printed (saved with it, so none is repeated). */
    public RunProgress withLogCursor(LogCursor cursor) {
        return new RunProgress(run, deadlineEpochMillis, lastReportedStatus, currentDelayMillis,
                consecutiveTransientErrors, startedEpochMillis, lastCheckedEpochMillis, lastLineEpochMillis, cursor);
    }

    @Override
    public String toString() {
        return "RunProgress{" + run.getRunId() + ", last=" + lastReportedStatus + ", delay=" + currentDelayMillis
                + "ms, errors=" + consecutiveTransientErrors + "}";
    }
}
