package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.AzureMlException;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.client.models.Workspace;
import io.jenkins.plugins.azureml.simulator.SimulatorClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RunMonitorTest {
    final SimulatorClock clock = new SimulatorClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    final RunMonitor monitor = new RunMonitor(MonitorSettings.DEFAULT, clock);
    final RunReference ref = new RunReference("https://westus.api.azureml.ms", new Workspace("s", "rg", "ws"),
            "MyRestPipeline", "run-1");

    PipelineRun run(RunStatus status) {
        return new PipelineRun(ref, status, status.serviceName(), null, null, null, null);
    }

    PipelineRun run(String rawStatus) {
        return new PipelineRun(ref, RunStatus.parse(rawStatus), rawStatus, null, null, null, null);
    }

    static AzureMlException transientError() {
        return new AzureMlException("Azure ML failed to read the status of run run-1. (HTTP 503)", 503,
                "TransientError", "req-1", true, null);
    }

    @Test
    void backsOffBy1point2From5SecondsUpTo60() {
        MonitorDecision d = monitor.start(run("0"), null);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertThat(d.getAction()).isEqualTo(MonitorDecision.Action.POLL_AGAIN);
            delays.add(d.getDelay().toMillis());
            d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        }
        assertThat(delays.subList(0, 6)).containsExactly(5000L, 6000L, 7200L, 8640L, 10368L, 12442L);
        assertThat(delays).isSorted().allMatch(ms -> ms <= 60_000L);
        assertThat(delays.get(19)).isEqualTo(60_000L);
    }

    @Test
    void configurableBackoff() {
        RunMonitor fast = new RunMonitor(MonitorSettings.DEFAULT.withDelays(Duration.ofMillis(100), 2.0,
                Duration.ofMillis(500)), clock);
        MonitorDecision d = fast.start(run("0"), null);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(d.getDelay().toMillis());
            d = fast.onRun(d.getProgress(), run(RunStatus.QUEUED));
        }
        assertThat(delays).containsExactly(100L, 200L, 400L, 500L, 500L);
    }

    @Test
    void startPrintsTheRunAndStudioLinkAndTheFirstStatus() {
        MonitorDecision d = monitor.start(run("0"), Duration.ofMinutes(10));
        assertThat(d.getConsoleLines()).containsExactly(
                "Submitted Azure ML run run-1 in experiment MyRestPipeline: " + ref.studioUrl(),
                "Azure ML run run-1: NotStarted");
        assertThat(d.getProgress().getDeadline()).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
    }

    @Test
    void printsOnlyStatusChanges() {
        MonitorDecision d = monitor.start(run("0"), null);
        List<String> lines = new ArrayList<>();
        for (String status : new String[] {"NotStarted", "Queued", "Queued", "Running", "Running", "running",
                "Hibernating", "Hibernating", "Running", "Completed"}) {
            d = monitor.onRun(d.getProgress(), run(status));
            lines.addAll(d.getConsoleLines());
        }
        assertThat(lines).containsExactly("Azure ML run run-1: Queued", "Azure ML run run-1: Running",
                "Azure ML run run-1: Hibernating (a status this plugin does not know; still waiting)",
                "Azure ML run run-1: Running", "Azure ML run run-1: Completed", "Azure ML run run-1 completed.");
        assertThat(d.getAction()).isEqualTo(MonitorDecision.Action.FINISHED);
        assertThat(d.getOutcome().getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
    }

    @Test
    void terminalStatusesMapToOutcomes() {
        RunProgress p = monitor.start(run("0"), null).getProgress();
        MonitorDecision failed = monitor.onRun(p, new PipelineRun(ref, RunStatus.FAILED, "Failed", null, null,
                "UserError", "Step 'train' failed: out of memory"));
        assertThat(failed.getOutcome().getResult()).isEqualTo(RunOutcome.Result.FAILED);
        assertThat(failed.getOutcome().getErrorMessage()).isEqualTo("Step 'train' failed: out of memory");
        assertThat(failed.getOutcome().getSummary()).contains("failed: UserError: Step 'train' failed: out of memory");
        assertThat(failed.getOutcome().toMap()).containsEntry("status", "Failed").containsEntry("errorCode", "UserError")
                .containsEntry("studioUrl", ref.studioUrl()).containsEntry("runId", "run-1");

        MonitorDecision canceled = monitor.onRun(p, run(RunStatus.CANCELED));
        assertThat(canceled.getOutcome().getResult()).isEqualTo(RunOutcome.Result.CANCELED);
        MonitorDecision finished = monitor.onRun(p, run("3"));
        assertThat(finished.getOutcome().getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
        assertThat(finished.getOutcome().getStatus()).isEqualTo("Completed");
    }

    @Test
    void timeoutFailsTheStepEvenWithoutPropagate() {
        MonitorDecision d = monitor.start(run("0"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        RunOutcome timedOut = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING)).getOutcome();
        assertThat(timedOut.getResult()).isEqualTo(RunOutcome.Result.TIMED_OUT);
        assertThat(timedOut.failsStep(true)).isTrue();
        assertThat(timedOut.failsStep(false)).isTrue();
    }

    @Test
    void failedAndCanceledFailTheStepOnlyWithPropagate() {
        RunProgress p = monitor.start(run("0"), null).getProgress();
        RunOutcome failed = monitor.onRun(p, run(RunStatus.FAILED)).getOutcome();
        RunOutcome ok = monitor.onRun(p, run(RunStatus.COMPLETED)).getOutcome();
        assertThat(failed.failsStep(true)).isTrue();
        assertThat(failed.failsStep(false)).isFalse();
        assertThat(ok.failsStep(true)).isFalse();
        assertThat(monitor.aborted(p).failsStep(false)).isTrue();
    }

    @Test
    void deadlineTimesOutAndCapsTheLastDelay() {
        MonitorDecision d = monitor.start(run("0"), Duration.ofSeconds(12));
        assertThat(d.getDelay()).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        assertThat(d.getDelay()).isEqualTo(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        assertThat(d.getDelay()).isEqualTo(Duration.ofSeconds(1)); // 7.2 s wanted, 1 s left
        clock.advance(Duration.ofSeconds(1));
        d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        assertThat(d.getAction()).isEqualTo(MonitorDecision.Action.TIMED_OUT);
        assertThat(d.getOutcome().getResult()).isEqualTo(RunOutcome.Result.TIMED_OUT);
        assertThat(d.getConsoleLines()).as("the step reports the timeout once, as its error").isEmpty();
        assertThat(d.getOutcome().getSummary())
                .isEqualTo("Timed out waiting for Azure ML run run-1 (last status Running); canceling it.");
    }

    /** The failed-run console printed the service message twice and ran "bad input See https://..." together. */
    @Test
    void aFailedRunIsLeftToTheCallerToReportOnceAsSentences() {
        RunProgress p = monitor.start(run("0"), null).getProgress();
        MonitorDecision failed = monitor.onRun(p, new PipelineRun(ref, RunStatus.FAILED, "Failed", null, null,
                "UserError", "Step 'train' failed: ValueError: bad input"));
        assertThat(failed.getConsoleLines()).containsExactly("Azure ML run run-1: Failed");
        assertThat(failed.getOutcome().getSummary()).isEqualTo("Azure ML run run-1 failed: UserError: Step 'train'"
                + " failed: ValueError: bad input. See " + ref.studioUrl());
        assertThat(RunMonitor.sentence("Done.")).isEqualTo("Done.");
        assertThat(RunMonitor.sentence(" ")).isEmpty();
    }

    @Test
    void aLongWaitPrintsASparseHeartbeatAndTheProgressSaysForHowLong() {
        MonitorDecision d = monitor.start(run("0"), null);
        d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // one check a minute, the status never changes
            clock.advance(Duration.ofMinutes(1));
            d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
            lines.addAll(d.getConsoleLines());
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("Azure ML run run-1 still Running after 5 min; checking every \\d+ s\\.");
        assertThat(lines.get(1)).matches("Azure ML run run-1 still Running after 10 min; checking every \\d+ s\\.");
        clock.advance(Duration.ofSeconds(40));
        assertThat(d.getProgress().describe(clock.instant())).isEqualTo("Running for 12 min, last checked 40 s ago");
        assertThat(monitor.start(run("0"), null).getProgress().describe(clock.instant()))
                .as("the submission's answer is the first check").isEqualTo("NotStarted for 0 s, last checked 0 s ago");
        assertThat(RunProgress.describe(null, null, null, clock.instant())).isEqualTo("Submitted, not checked yet");
    }

    @Test
    void terminalStatusWinsOverAPassedDeadline() {
        MonitorDecision d = monitor.start(run("0"), Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(monitor.onRun(d.getProgress(), run(RunStatus.COMPLETED)).getAction())
                .isEqualTo(MonitorDecision.Action.FINISHED);
    }

    @Test
    void transientErrorsAreLoggedOnceRetriedWithBackoffAndReset() {
        MonitorDecision d = monitor.start(run("0"), null);
        List<String> lines = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            d = monitor.onError(d.getProgress(), new CompletionException(transientError()));
            lines.addAll(d.getConsoleLines());
            delays.add(d.getDelay().toMillis());
        }
        assertThat(d.getProgress().getConsecutiveTransientErrors()).isEqualTo(3);
        assertThat(lines).hasSize(1).first().asString().startsWith("Could not read the status of Azure ML run run-1")
                .contains("HTTP 503", "retrying");
        assertThat(delays).containsExactly(6000L, 7200L, 8640L);
        d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        assertThat(d.getProgress().getConsecutiveTransientErrors()).isZero();
        assertThat(d.getConsoleLines()).containsExactly("Azure ML status checks work again after 3 failed attempt(s).",
                "Azure ML run run-1: Running");
    }

    @Test
    void givesUpAfterTheTransientErrorBudget() {
        RunMonitor strict = new RunMonitor(MonitorSettings.DEFAULT.withTransientErrorBudget(2), clock);
        MonitorDecision d = strict.start(run("0"), null);
        d = strict.onError(d.getProgress(), transientError());
        d = strict.onError(d.getProgress(), transientError());
        assertThat(d.getAction()).isEqualTo(MonitorDecision.Action.POLL_AGAIN);
        d = strict.onError(d.getProgress(), transientError());
        assertThat(d.getAction()).isEqualTo(MonitorDecision.Action.GIVE_UP);
        assertThat(d.getOutcome().getResult()).isEqualTo(RunOutcome.Result.ERROR);
        assertThat(d.getOutcome().getSummary()).startsWith("Gave up after 3 failed status checks in a row")
                .contains("may still be running", ref.studioUrl());
    }

    @Test
    void nonTransientErrorGivesUpAtOnce() {
        MonitorDecision d = monitor.start(run("0"), null);
        AzureMlException forbidden = new AzureMlException("sp 1 is not allowed ...", 403, "AuthorizationFailed",
                "req", false, null);
        d = monitor.onError(d.getProgress(), forbidden);
        assertThat(d.getAction()).isEqualTo(MonitorDecision.Action.GIVE_UP);
        assertThat(d.getOutcome().getErrorCode()).isEqualTo("AuthorizationFailed");
        assertThat(monitor.onError(d.getProgress(), new IllegalStateException("bug")).getAction())
                .isEqualTo(MonitorDecision.Action.GIVE_UP);
    }

    @Test
    void transientErrorPastTheDeadlineTimesOut() {
        MonitorDecision d = monitor.start(run("0"), Duration.ofSeconds(3));
        clock.advance(Duration.ofSeconds(4));
        assertThat(monitor.onError(d.getProgress(), transientError()).getAction())
                .isEqualTo(MonitorDecision.Action.TIMED_OUT);
    }

    @Test
    void progressSurvivesSerializationAndResumesTheSameDecisions() throws Exception {
        MonitorDecision d = monitor.start(run("0"), Duration.ofMinutes(30));
        d = monitor.onRun(d.getProgress(), run(RunStatus.RUNNING));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d.getProgress());
        }
        RunProgress restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (RunProgress) in.readObject();
        }
        assertThat(restored.getRun()).isEqualTo(ref);
        assertThat(restored.getDeadline()).isEqualTo(d.getProgress().getDeadline());
        assertThat(restored.getCurrentDelay()).isEqualTo(d.getProgress().getCurrentDelay());
        MonitorDecision after = monitor.onRun(restored, run(RunStatus.RUNNING));
        assertThat(after.getConsoleLines()).isEmpty(); // status already reported before the restart
        assertThat(after.getDelay()).isEqualTo(Duration.ofMillis(7200));
    }
}
