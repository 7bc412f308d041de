package io.jenkins.plugins.azureml.run;

import static io.jenkins.plugins.azureml.simulator.SimulatedLogs.EXECUTION_LOG;
import static io.jenkins.plugins.azureml.simulator.SimulatedLogs.USER_LOG;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.AzureMlLogClient;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import io.jenkins.plugins.azureml.simulator.SimulatedLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Following a run's log files against the simulator, whose logs grow while runs are Running and whose SAS URLs change
 * on every details answer: every line once and in order (across polls, a partial last line, a restart of the waiter),
 * bounded output, truncated and replaced files said once, unreadable logs degrading to one line, and 'none' unchanged.
 */
class RunLogFollowerTest {
    static final Duration AWAIT = Duration.ofSeconds(30);

    AzureMlSimulator sim;
    ConcurrencyProbe probe;
    AzureMlClient client;
    AzureMlLogClient logClient;
    ScheduledExecutorService scheduler;
    final List<String> console = new CopyOnWriteArrayList<>();
    final AtomicReference<RunProgress> saved = new AtomicReference<>();
    final RunWaiter.Listener listener = new RunWaiter.Listener() {
        @Override
        public void log(String line) {
            console.add(line);
        }

        @Override
        public void progressed(RunProgress progress) {
            saved.set(progress); // what a Jenkins step saves after the lines of the same poll
        }
    };

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        sim.logs().expireOldSas(true); // a follower that kept an old URL would be refused
        probe = new ConcurrencyProbe(sim.httpClient());
        client = FastWaitFixture.client(sim, "service principal 1111", Duration.ofSeconds(5), 2);
        logClient = new AzureMlClientBuilder().credential(sim.credential()).httpClient(probe)
                .responseTimeout(Duration.ofSeconds(5)).buildLogClient();
        scheduler = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        sim.close();
    }

    PipelineRun submit(PublishedPipeline.Builder pipeline) {
        PublishedPipeline published = sim.publish(pipeline.build());
        return client.submit(PipelineEndpoint.parse(sim.submitUrl(published)), PipelineSubmission.builder()
                .experimentName("MyRestPipeline").parameter("input_string", "x").build());
    }

    RunWaiter waiter(LogSettings settings, ScheduledExecutorService on) {
        return new RunWaiter(client, new RunMonitor(MonitorSettings.DEFAULT.withDelays(Duration.ofMillis(20), 1.2,
                Duration.ofMillis(60)), Clock.systemUTC()), on, new RunLogFollower(logClient, settings));
    }

    /** The file's lines as the console shows them. */
    List<String> expected(String prefix, String runId, String file) {
        String content = sim.logs().content(runId, file);
        return content.isEmpty() ? List.of() : Arrays.stream(content.split("\n", -1))
                .limit(content.endsWith("\n") ? content.split("\n", -1).length - 1 : Long.MAX_VALUE)
                .map(l -> prefix + " " + l).collect(Collectors.toList());
    }

    List<String> printed(String prefix) {
        return console.stream().filter(l -> l.startsWith(prefix + " ")).collect(Collectors.toList());
    }

    @Test
    void runModePrintsEveryLineOfTheGrowingLogOnceInOrderWithFreshSasUrlsAndNoToken() throws Exception {
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(8, RunStatus.COMPLETED)
                .stepMetrics("train", Map.of()));
        RunOutcome outcome = waiter(LogSettings.of(LogMode.RUN), scheduler).await(run, null, listener).outcome()
                .get(AWAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
        List<String> lines = expected("[executionlogs]", run.getRunId(), EXECUTION_LOG);
        assertThat(lines).hasSizeGreaterThan(5).last().asString().contains("Completed");
        assertThat(printed("[executionlogs]")).containsExactlyElementsOf(lines);
        assertThat(printed("[train]")).as("run mode follows the run's own log only").isEmpty();
        assertThat(console.get(console.size() - 1)).isEqualTo("Azure ML run " + run.getRunId() + " completed.");
        assertThat(console.indexOf(lines.get(lines.size() - 1))).as("the log's end comes before the outcome")
                .isLessThan(console.size() - 2);
        assertThat(sim.requests(Route.LOG_BLOB)).hasSizeGreaterThan(5)
                .allSatisfy(r -> assertThat(r.header("Authorization")).isNull())
                .allSatisfy(r -> assertThat(r.header("Range")).matches("bytes=\\d+-\\d+"));
        assertThat(String.join("\n", console)).doesNotContain("sig=", "blob.core.windows.net");
    }

    @Test
    void stepsModeFollowsEachStepsUserLogWithAFewReadsAtOnce() throws Exception {
        PublishedPipeline.Builder pipeline = PublishedPipeline.sample("pl").runningFor(5, RunStatus.COMPLETED);
        for (int i = 1; i <= 9; i++) {
            pipeline.stepMetrics("step" + i, Map.of());
        }
        PipelineRun run = submit(pipeline);
        waiter(LogSettings.of(LogMode.STEPS).withConcurrency(3), scheduler).await(run, null, listener).outcome()
                .get(AWAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(printed("[executionlogs]")).containsExactlyElementsOf(
                expected("[executionlogs]", run.getRunId(), EXECUTION_LOG));
        List<SimulatedLogs.StepRun> steps = sim.logs().steps(run.getRunId());
        assertThat(steps).hasSize(9);
        for (SimulatedLogs.StepRun step : steps) {
            List<String> lines = expected("[" + step.name() + "]", step.runId(), USER_LOG);
            assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
            assertThat(printed("[" + step.name() + "]")).containsExactlyElementsOf(lines);
        }
        assertThat(probe.maxInFlight.get()).as("reads in flight at once").isBetween(1, 3);
    }

    @Test
    void aRestartedWaiterContinuesFromTheSavedCursorWithoutGapOrDuplicate() throws Exception {
        sim.advancePerPoll(false);
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(20, RunStatus.COMPLETED));
        String id = run.getRunId();
        RunWaiter.Wait first = waiter(LogSettings.of(LogMode.RUN), scheduler).await(run, null, listener);
        sim.advanceRuns();
        sim.advanceRuns();
        sim.advanceRuns(); // Running: lines 1, 2
        sim.logs().append(id, EXECUTION_LOG, "a line without its newline yet");
        awaitCondition(() -> printed("[executionlogs]").size() == 2 && saved.get() != null
                && saved.get().getLogCursor().offset(id, EXECUTION_LOG) > 0);
        scheduler.shutdownNow(); // the controller goes away
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.outcome()).isNotDone();
        RunProgress restored = roundTrip(saved.get());

        sim.logs().append(id, EXECUTION_LOG, ", now complete\n");
        sim.advanceRuns();
        sim.advancePerPoll(true);
        ScheduledExecutorService second = Executors.newScheduledThreadPool(1);
        try {
            RunOutcome outcome = waiter(LogSettings.of(LogMode.RUN), second).resume(restored, listener).outcome()
                    .get(AWAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
        } finally {
            second.shutdownNow();
        }
        List<String> lines = expected("[executionlogs]", id, EXECUTION_LOG);
        assertThat(lines).contains("[executionlogs] a line without its newline yet, now complete");
        assertThat(printed("[executionlogs]")).containsExactlyElementsOf(lines);
    }

    @Test
    void partialLastLineWaitsForItsNewlineAndIsPrintedWhenTheRunEnded() {
        sim.advancePerPoll(false);
        RunReference run = submit(PublishedPipeline.sample("pl")).reference();
        String id = run.getRunId();
        RunLogFollower follower = new RunLogFollower(logClient, LogSettings.of(LogMode.RUN));
        sim.logs().append(id, EXECUTION_LOG, "one\ntw");
        LogUpdate a = follower.poll(run, LogCursor.EMPTY, false).join();
        assertThat(a.lines()).containsExactly("[executionlogs] one");
        assertThat(a.cursor().offset(id, EXECUTION_LOG)).isEqualTo(4);
        LogUpdate b = follower.poll(run, a.cursor(), false).join();
        assertThat(b.lines()).isEmpty();
        sim.logs().append(id, EXECUTION_LOG, "o\nthree\u001b[8mha:forged note\r\nfour");
        LogUpdate c = follower.poll(run, b.cursor(), false).join();
        assertThat(c.lines()).containsExactly("[executionlogs] two", "[executionlogs] three[8mha:forged note");
        LogUpdate d = follower.poll(run, c.cursor(), true).join();
        assertThat(d.lines()).as("the run ended: its last line has no newline").containsExactly("[executionlogs] four");
        assertThat(follower.poll(run, d.cursor(), true).join().lines()).isEmpty();
    }

    @Test
    void moreThanTheBoundIsSkippedWithOneLineAndTheNewestLinesArePrinted() {
        sim.advancePerPoll(false);
        RunReference run = submit(PublishedPipeline.sample("pl")).reference();
        String id = run.getRunId();
        RunLogFollower follower = new RunLogFollower(logClient, LogSettings.of(LogMode.RUN).withMaxBytesPerPoll(4096));
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            big.append("line ").append(i).append(" of a chatty training script\n");
        }
        sim.logs().append(id, EXECUTION_LOG, big.toString());
        LogUpdate a = follower.poll(run, LogCursor.EMPTY, false).join();

        assertThat(a.lines().get(0)).startsWith("[executionlogs] ... skipped ").contains(" KiB of " + EXECUTION_LOG,
                "more than 4 KiB", run.studioUrl());
        List<String> printedLines = a.lines().subList(1, a.lines().size());
        assertThat(printedLines.stream().mapToInt(l -> l.length() - "[executionlogs] ".length() + 1).sum())
                .isLessThanOrEqualTo(4096);
        List<String> all = expected("[executionlogs]", id, EXECUTION_LOG);
        assertThat(printedLines).isEqualTo(all.subList(all.size() - printedLines.size(), all.size()));
        assertThat(a.cursor().offset(id, EXECUTION_LOG)).isEqualTo(big.length());

        sim.logs().append(id, EXECUTION_LOG, "after 1\nafter 2\n");
        assertThat(follower.poll(run, a.cursor(), false).join().lines())
                .containsExactly("[executionlogs] after 1", "[executionlogs] after 2");
    }

    @Test
    void aTruncatedOrReplacedFileIsSaidOnceAndNotPrintedAgain() {
        sim.advancePerPoll(false);
        RunReference run = submit(PublishedPipeline.sample("pl")).reference();
        String id = run.getRunId();
        RunLogFollower follower = new RunLogFollower(logClient, LogSettings.of(LogMode.RUN));
        sim.logs().append(id, EXECUTION_LOG, "first\nsecond\n");
        LogUpdate a = follower.poll(run, LogCursor.EMPTY, false).join();
        assertThat(a.lines()).hasSize(2);

        sim.logs().truncate(id, EXECUTION_LOG, 6);
        LogUpdate b = follower.poll(run, a.cursor(), false).join();
        assertThat(b.lines()).containsExactly("[executionlogs] " + EXECUTION_LOG
                + " was truncated (now 6 bytes); following it from its new end, without printing it again.");
        assertThat(follower.poll(run, b.cursor(), false).join().lines()).isEmpty();

        sim.logs().append(id, EXECUTION_LOG, "third\n");
        LogUpdate third = follower.poll(run, b.cursor(), false).join();
        assertThat(third.lines()).containsExactly("[executionlogs] third");

        sim.logs().replace(id, EXECUTION_LOG, "a whole new file, longer than before\n");
        LogUpdate c = follower.poll(run, third.cursor(), false).join();
        assertThat(c.lines()).containsExactly("[executionlogs] " + EXECUTION_LOG
                + " was replaced (now 37 bytes); following it from its new end, without printing it again.");
        sim.logs().append(id, EXECUTION_LOG, "next\n");
        assertThat(follower.poll(run, c.cursor(), false).join().lines()).containsExactly("[executionlogs] next");
    }

    @Test
    void unreadableLogsDegradeToOneLineAndLoseNothingOnceReadableAgain() {
        sim.advancePerPoll(false);
        RunReference run = submit(PublishedPipeline.sample("pl")).reference();
        String id = run.getRunId();
        RunLogFollower follower = new RunLogFollower(logClient, LogSettings.of(LogMode.RUN));
        sim.logs().append(id, EXECUTION_LOG, "one\n");
        sim.inject(Route.LOG_BLOB, Fault.FORBIDDEN, 3);
        LogCursor cursor = LogCursor.EMPTY;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LogUpdate u = follower.poll(run, cursor, false).join();
            lines.addAll(u.lines());
            cursor = u.cursor();
        }
        assertThat(lines).singleElement().asString().startsWith("[executionlogs] Could not read " + EXECUTION_LOG)
                .contains("HTTP 403", "the build goes on", run.studioUrl());
        sim.logs().append(id, EXECUTION_LOG, "two\n");
        LogUpdate back = follower.poll(run, cursor, false).join();
        assertThat(back.lines()).containsExactly("[executionlogs] one", "[executionlogs] two");
        sim.inject(Route.LOG_BLOB, Fault.CONNECTION_RESET);
        LogUpdate reset = follower.poll(run, back.cursor(), false).join();
        assertThat(reset.lines()).as("a new streak is said again").singleElement().asString()
                .contains("network error");
        sim.logs().append(id, EXECUTION_LOG, "three\n");
        assertThat(follower.poll(run, reset.cursor(), false).join().lines()).containsExactly("[executionlogs] three");

        sim.inject(Route.DETAILS, Fault.NOT_FOUND);
        LogUpdate noDetails = follower.poll(run, reset.cursor(), false).join();
        assertThat(noDetails.lines()).singleElement().asString()
                .startsWith("Could not read the log files of Azure ML run " + id);
        assertThat(String.join("\n", lines) + reset.lines() + noDetails.lines()).doesNotContain("sig=", "blob.core");
    }

    @Test
    void noneKeepsTodaysOutputAndReadsNoLog() throws Exception {
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(3, RunStatus.COMPLETED)
                .stepMetrics("train", Map.of()));
        waiter(LogSettings.of(LogMode.NONE), scheduler).await(run, null, listener).outcome()
                .get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        String id = run.getRunId();
        assertThat(console).containsExactly(
                "Submitted Azure ML run " + id + " in experiment MyRestPipeline: " + run.getStudioUrl(),
                "Azure ML run " + id + ": NotStarted", "Azure ML run " + id + ": Queued",
                "Azure ML run " + id + ": Running", "Azure ML run " + id + ": Completed",
                "Azure ML run " + id + " completed.");
        assertThat(sim.requests(Route.LOG_BLOB)).isEmpty();
        assertThat(sim.requests(Route.DETAILS)).hasSize(5); // the status polls only
    }

    static RunProgress roundTrip(RunProgress progress) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(progress);
        }
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("sig=", "https://mlws");
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RunProgress) in.readObject();
        }
    }

    static void awaitCondition(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + AWAIT);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // re-check interval, not a sync point
        }
    }

    /** The transport, counting the storage reads in flight at once. */
    static final class ConcurrencyProbe implements HttpClient {
        final HttpClient delegate;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();

        ConcurrencyProbe(HttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return send(request, com.azure.core.util.Context.NONE);
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, com.azure.core.util.Context context) {
            if (!request.getUrl().getHost().endsWith(".blob.core.windows.net")) {
                return delegate.send(request, context);
            }
            return Mono.defer(() -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                return delegate.send(request, context).doFinally(s -> inFlight.decrementAndGet()); // until answered
            });
        }
    }
}
