package io.jenkins.plugins.azureml.run;

import java.time.Duration;
import java.util.List;

/**
 * What {@link RunMonitor} decided after an observation: the action, the console lines to print (only on a status
 * change, the first error of a streak, and the end), the progress to persist, and the delay or outcome.
 */
public final class MonitorDecision {
    /** What the caller does next. */
    public enum Action {
        /** Schedule the next poll after {@link #getDelay()}. */
        POLL_AGAIN,
        /** The run ended; report {@link #getOutcome()}. */
        FINISHED,
        /** The deadline passed: cancel the run, then report {@link #getOutcome()}. */
        TIMED_OUT,
        /** Status cannot be read; report {@link #getOutcome()} (the run is left alone). */
        GIVE_UP
    }

    private final Action action;
    private final Duration delay;
    private final RunOutcome outcome;
    private final RunProgress progress;
    private final List<String> consoleLines;

    MonitorDecision(Action action, Duration delay, RunOutcome outcome, RunProgress progress, List<String> lines) {
        this.action = action;
        this.delay = delay;
        this.outcome = outcome;
        this.progress = progress;
        this.consoleLines = List.copyOf(lines);
    }

    public Action getAction() {
        return action;
    }

    /** For {@link Action#POLL_AGAIN}: how long to wait; otherwise null. */
    public Duration getDelay() {
        return delay;
    }

    /** For every action but {@link Action#POLL_AGAIN}: how the wait ends; otherwise null. */
    public RunOutcome getOutcome() {
        return outcome;
    }

    /** The progress to persist before the next poll. */
    public RunProgress getProgress() {
        return progress;
    }

    public List<String> getConsoleLines() {
        return consoleLines;
    }

    @Override
    public String toString() {
        return action + (delay == null ? "" : " in " + delay) + (outcome == null ? "" : ": " + outcome);
    }
}
