package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.client.AzureMlException;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides what to do while waiting for an Azure ML run; runs no threads and does no I/O. The caller submits, calls
 * {@link #start}, then after each poll feeds the result to {@link #onRun} or the failure to {@link #onError}, and
 * follows the returned {@link MonitorDecision}: schedule the next poll, report the outcome, or cancel on timeout.
 * All state lives in the {@link RunProgress} the decisions return, so the caller can persist it and resume after a
 * restart. Thread-safe (immutable).
 *
 * <p>Console lines: the submission, each status change, a heartbeat while the status stays the same (every
 * {@link MonitorSettings#heartbeat()}), and a success. An outcome that is not a success is not printed here: the
 * caller reports its {@link RunOutcome#getSummary() summary} once, as the step's error or, when the step does not
 * fail, as a line.
 */
public final class RunMonitor {
    private final MonitorSettings settings;
    private final Clock clock;

    public RunMonitor(MonitorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public MonitorSettings settings() {
        return settings;
    }

    /**
     * The first decision after a submission: print the run and its studio link, then poll after the initial delay.
     *
     * @param timeout how long to wait at most; null or zero for no limit
     */
    public MonitorDecision start(PipelineRun submitted, Duration timeout) {
        long deadline = timeout == null || timeout.isZero() || timeout.isNegative() ? RunProgress.NEVER
                : clock.millis() + timeout.toMillis();
        RunProgress progress = new RunProgress(submitted.reference(), deadline, null,
                settings.initialDelay().toMillis(), 0).begun(clock.millis());
        List<String> lines = new ArrayList<>();
        lines.add("Submitted Azure ML run " + submitted.getRunId() + " in experiment " + submitted.getExperimentName()
                + ": " + submitted.getStudioUrl());
        return onRun(progress, submitted, lines);
    }

    /** After a successful poll. */
    public MonitorDecision onRun(RunProgress progress, PipelineRun run) {
        return onRun(progress, run, new ArrayList<>());
    }

    private MonitorDecision onRun(RunProgress progress, PipelineRun run, List<String> lines) {
        String id = run.getRunId();
        if (progress.getConsecutiveTransientErrors() > 0) {
            lines.add("Azure ML status checks work again after " + progress.getConsecutiveTransientErrors()
                    + " failed attempt(s).");
        }
        String statusText = label(run);
        long now = clock.millis();
        if (progress.getLastReportedStatus() == null
                || !progress.getLastReportedStatus().equalsIgnoreCase(statusText)) {
            lines.add("Azure ML run " + id + ": " + statusText + (run.getStatus() == RunStatus.UNKNOWN
                    ? " (a status this plugin does not know; still waiting)" : ""));
        } else if (!run.getStatus().isTerminal() && progress.lastLineEpochMillis() > 0
                && now - progress.lastLineEpochMillis() >= settings.heartbeat().toMillis()) {
            lines.add(heartbeat(progress, statusText, now));
        }
        RunProgress next = progress.with(statusText, progress.currentDelayMillis(), 0)
                .checked(now, !lines.isEmpty());
        if (run.getStatus().isTerminal()) {
            RunOutcome outcome = terminalOutcome(run);
            if (outcome.getResult() == RunOutcome.Result.SUCCEEDED) {
                lines.add(outcome.getSummary());
            }
            return new MonitorDecision(MonitorDecision.Action.FINISHED, null, outcome, next, lines);
        }
        return pollAgainOrTimeOut(next, statusText, lines);
    }

    /** After a failed poll (an {@link AzureMlException}, possibly wrapped, or anything else). */
    public MonitorDecision onError(RunProgress progress, Throwable error) {
        Throwable cause = unwrap(error);
        RunReference run = progress.getRun();
        List<String> lines = new ArrayList<>();
        boolean isTransient = cause instanceof AzureMlException e && e.isTransient();
        int errors = progress.getConsecutiveTransientErrors() + 1;
        if (!isTransient || errors > settings.transientErrorBudget()) {
            String why = isTransient ? "Gave up after " + errors + " failed status checks in a row"
                    : "Stopped waiting";
            String summary = why + " for Azure ML run " + run.getRunId() + ": " + sentence(cause.getMessage())
                    + " The run was left alone and may still be running: " + run.studioUrl();
            RunOutcome outcome = new RunOutcome(RunOutcome.Result.ERROR, run.getRunId(),
                    progress.getLastReportedStatus(), run.studioUrl(),
                    cause instanceof AzureMlException e ? e.getErrorCode() : null, cause.getMessage(), summary);
            return new MonitorDecision(MonitorDecision.Action.GIVE_UP, null, outcome,
                    progress.with(progress.getLastReportedStatus(), progress.currentDelayMillis(), errors), lines);
        }
        if (errors == 1) {
            lines.add("Could not read the status of Azure ML run " + run.getRunId() + " (" + cause.getMessage()
                    + "); retrying with backoff.");
        }
        RunProgress next = progress.with(progress.getLastReportedStatus(), progress.currentDelayMillis(), errors);
        return pollAgainOrTimeOut(next, progress.getLastReportedStatus(), lines);
    }

    /** The outcome when the build is aborted while waiting (the caller cancels the run). */
    public RunOutcome aborted(RunProgress progress) {
        RunReference run = progress.getRun();
        return new RunOutcome(RunOutcome.Result.ABORTED, run.getRunId(), progress.getLastReportedStatus(),
                run.studioUrl(), null, null, "Build aborted; asked Azure ML to cancel run " + run.getRunId() + ".");
    }

    private MonitorDecision pollAgainOrTimeOut(RunProgress progress, String status, List<String> lines) {
        long now = clock.millis();
        long remaining = progress.deadlineEpochMillis() - now;
        if (remaining <= 0) {
            RunReference run = progress.getRun();
            String summary = "Timed out waiting for Azure ML run " + run.getRunId() + " (last status "
                    + (status == null ? "unknown" : status) + "); canceling it.";
            RunOutcome outcome = new RunOutcome(RunOutcome.Result.TIMED_OUT, run.getRunId(), status, run.studioUrl(),
                    null, null, summary);
            return new MonitorDecision(MonitorDecision.Action.TIMED_OUT, null, outcome, progress, lines);
        }
        long delay = Math.min(progress.currentDelayMillis(), remaining);
        RunProgress next = progress.with(progress.getLastReportedStatus(), settings.next(progress.currentDelayMillis()),
                progress.getConsecutiveTransientErrors());
        return new MonitorDecision(MonitorDecision.Action.POLL_AGAIN, Duration.ofMillis(delay), null, next, lines);
    }

    private static RunOutcome terminalOutcome(PipelineRun run) {
        String id = run.getRunId();
        switch (run.getStatus()) {
            case COMPLETED:
                return new RunOutcome(RunOutcome.Result.SUCCEEDED, id, label(run), run.getStudioUrl(), null,
                        null, "Azure ML run " + id + " completed.");
            case FAILED:
                String error = (run.getErrorCode() == null ? "" : run.getErrorCode() + ": ")
                        + (run.getErrorMessage() == null ? "no error message from the service" : run.getErrorMessage());
                return new RunOutcome(RunOutcome.Result.FAILED, id, label(run), run.getStudioUrl(),
                        run.getErrorCode(), run.getErrorMessage(), "Azure ML run " + id + " failed: "
                        + sentence(error) + " See " + run.getStudioUrl());
            default:
                return new RunOutcome(RunOutcome.Result.CANCELED, id, label(run), run.getStudioUrl(), null,
                        run.getErrorMessage(), "Azure ML run " + id + " was canceled.");
        }
    }

    /** "still Running after 12 min; last checked 40 s ago": a sparse sign of life while the status stays. */
    private String heartbeat(RunProgress progress, String status, long now) {
        Instant started = progress.getStartedAt();
        return "Azure ML run " + progress.getRun().getRunId() + " still " + status
                + (started == null ? "" : " after " + ElapsedTime.format(Duration.ofMillis(now - started.toEpochMilli())))
                + "; checking every " + ElapsedTime.format(Duration.ofMillis(progress.currentDelayMillis())) + ".";
    }

    /** The text ending with a full stop, so the next sentence does not run on from it. */
    static String sentence(String text) {
        String t = text == null ? "" : text.strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }

    /** The status name (numeric codes and spellings normalised); the raw text for statuses not known here. */
    static String label(PipelineRun run) {
        return run.getStatus() == RunStatus.UNKNOWN ? run.getStatusText() : run.getStatus().serviceName();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
