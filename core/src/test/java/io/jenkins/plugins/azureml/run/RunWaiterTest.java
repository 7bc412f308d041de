package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.ServiceVersion;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.Fault;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Submit and wait over HTTPS against the simulator, with millisecond poll delays so the suite stays fast; the same
 * waiting, cancel, timeout and returned map for a v1 published pipeline and a v2 batch endpoint.
 */
@ParameterizedClass
@EnumSource(ServiceVersion.class)
class RunWaiterTest {
    static final Duration AWAIT = Duration.ofSeconds(30);

    @Parameter
    ServiceVersion version;

    AzureMlSimulator sim;
    AzureMlClient client;
    ScheduledExecutorService scheduler;
    RunWaiter waiter;
    final List<String> console = new CopyOnWriteArrayList<>();
    final RunWaiter.Listener listener = console::add;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        client = FastWaitFixture.client(sim, "service principal 1111", Duration.ofSeconds(2), 2);
        scheduler = Executors.newScheduledThreadPool(1);
        waiter = FastWaitFixture.waiter(client, scheduler);
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        sim.close();
    }

    PipelineRun submit(PublishedPipeline pipeline) {
        return client.submit(version.endpoint(sim, pipeline), PipelineSubmission.builder()
                .experimentName("MyRestPipeline").parameter("input_string", "sample_string3").build());
    }

    RunOutcome outcome(RunWaiter.Wait wait) throws Exception {
        return wait.outcome().get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void submitAndWaitSucceedsPrintingEachStatusOnce() throws Exception {
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(4, RunStatus.COMPLETED).build());
        RunOutcome outcome = outcome(waiter.await(run, Duration.ofMinutes(1), listener));

        assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
        assertThat(outcome.getRunId()).isEqualTo(run.getRunId());
        assertThat(outcome.toMap()).containsExactly(java.util.Map.entry("runId", run.getRunId()),
                java.util.Map.entry("status", "Completed"),
                java.util.Map.entry("studioUrl", version.studioUrl(sim, run.getRunId())),
                java.util.Map.entry("result", "SUCCEEDED"));
        assertThat(run.getStudioUrl()).isEqualTo(version.studioUrl(sim, run.getRunId()));
        assertThat(console).containsExactly(
                "Submitted Azure ML run " + run.getRunId() + " in experiment MyRestPipeline: " + run.getStudioUrl(),
                "Azure ML run " + run.getRunId() + ": NotStarted",
                "Azure ML run " + run.getRunId() + ": Queued",
                "Azure ML run " + run.getRunId() + ": Running",
                "Azure ML run " + run.getRunId() + ": Completed",
                "Azure ML run " + run.getRunId() + " completed.");
        assertThat(sim.requests(version.statusRoute())).hasSize(6); // Queued, 4 x Running, Completed
    }

    @Test
    void failedRunEndsWithTheServiceMessage() throws Exception {
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(1, RunStatus.FAILED)
                .failure("UserError", "Step 'score' failed: file not found").build());
        RunOutcome outcome = outcome(waiter.await(run, null, listener));
        assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.FAILED);
        assertThat(outcome.getErrorCode()).isEqualTo("UserError");
        assertThat(outcome.getErrorMessage()).isEqualTo("Step 'score' failed: file not found");
        assertThat(outcome.failsStep(true)).isTrue();
        assertThat(outcome.getSummary()).contains("failed: UserError: Step 'score' failed: file not found. See ");
        assertThat(console.get(console.size() - 1)).as("the caller reports the failure, once")
                .isEqualTo("Azure ML run " + run.getRunId() + ": Failed");
        assertThat(outcome.toMap()).containsEntry("result", "FAILED").containsEntry("status", "Failed")
                .containsEntry("errorMessage", "Step 'score' failed: file not found");
    }

    @Test
    void abortCancelsTheRun() throws Exception {
        sim.advancePerPoll(false); // the run stays Queued until the test says otherwise
        PipelineRun run = submit(PublishedPipeline.sample("pl").build());
        RunWaiter.Wait wait = waiter.await(run, null, listener);
        awaitCondition(() -> sim.requests(version.statusRoute()).size() >= 2);

        wait.abort().get(AWAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(outcome(wait).getResult()).isEqualTo(RunOutcome.Result.ABORTED);
        assertThat(sim.requests(version.cancelRoute())).hasSize(1);
        assertThat(sim.run(run.getRunId()).status()).isEqualTo(RunStatus.CANCEL_REQUESTED);
        int polls = sim.requests(version.statusRoute()).size();
        assertThat(scheduler.schedule(() -> sim.requests(version.statusRoute()).size(), 300, TimeUnit.MILLISECONDS)
                .get()).isEqualTo(polls); // no poll after the abort
    }

    @Test
    void abortRightAfterAwaitStillCancelsTheRun() throws Exception {
        sim.advancePerPoll(false);
        PipelineRun run = submit(PublishedPipeline.sample("pl").build());
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        scheduler.execute(() -> {
            try {
                hold.await(); // the scheduler is busy: the wait's first step has not run when abort comes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RunWaiter.Wait wait = waiter.await(run, null, listener);
        assertThat(wait.progress()).as("progress to persist before the first poll").isNotNull();
        java.util.concurrent.CompletableFuture<Void> canceled = wait.abort();
        hold.countDown();

        canceled.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome(wait).getResult()).isEqualTo(RunOutcome.Result.ABORTED);
        assertThat(sim.requests(version.cancelRoute())).hasSize(1);
    }

    @Test
    void timeoutSendsCancelAndReportsTimedOut() throws Exception {
        sim.advancePerPoll(false);
        PipelineRun run = submit(PublishedPipeline.sample("pl").build());
        RunOutcome outcome = outcome(waiter.await(run, Duration.ofMillis(300), listener));

        assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.TIMED_OUT);
        assertThat(outcome.getStatus()).isEqualTo("NotStarted");
        assertThat(sim.requests(version.cancelRoute())).hasSize(1);
        assertThat(sim.run(run.getRunId()).status()).isEqualTo(RunStatus.CANCEL_REQUESTED);
        assertThat(outcome.getSummary()).startsWith("Timed out waiting for Azure ML run " + run.getRunId());
        assertThat(console).as("reported once, by the caller").noneMatch(l -> l.startsWith("Timed out"));
    }

    @Test
    void throttlingAndServerErrorsWhileWaitingAreRetriedAndLoggedOnce() throws Exception {
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(2, RunStatus.COMPLETED).build());
        // 3 tries per poll in the client: 6 faults make two polls fail, the monitor retries them.
        sim.inject(version.statusRoute(), Fault.THROTTLED_WITHOUT_RETRY_AFTER, 3);
        sim.inject(version.statusRoute(), Fault.SERVER_ERROR, 2);
        sim.inject(version.statusRoute(), Fault.UNAVAILABLE, 1);

        RunOutcome outcome = outcome(waiter.await(run, Duration.ofMinutes(1), listener));

        assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
        assertThat(console.stream().filter(l -> l.startsWith("Could not read the status"))).hasSize(1);
        assertThat(console).contains("Azure ML status checks work again after 2 failed attempt(s).");
        assertThat(sim.runs()).hasSize(1);
    }

    @Test
    void tokenExpiringDuringALongWaitIsRenewedAndNothingFails() throws Exception {
        sim.credential().lifetime(Duration.ofMillis(700));
        PipelineRun run = submit(PublishedPipeline.sample("pl").runningFor(30, RunStatus.COMPLETED).build());
        RunOutcome outcome = outcome(waiter.await(run, Duration.ofMinutes(1), listener));

        assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
        assertThat(sim.credential().tokenRequests()).isGreaterThanOrEqualTo(2);
        assertThat(sim.requests(version.statusRoute()).stream().map(r -> r.tokenSerial()).distinct().count())
                .isGreaterThanOrEqualTo(2);
        assertThat(console).noneMatch(l -> l.contains("Could not read the status"));
    }

    @Test
    void resumesFromPersistedProgressAfterARestart() throws Exception {
        sim.advancePerPoll(false);
        PipelineRun run = submit(PublishedPipeline.sample("pl").build());
        RunWaiter.Wait before = waiter.await(run, Duration.ofMinutes(1), listener);
        awaitCondition(() -> before.progress() != null && "NotStarted".equals(before.progress().getLastReportedStatus()));
        byte[] saved = serialize(before.progress());
        scheduler.shutdownNow(); // the controller goes away

        ScheduledExecutorService newScheduler = Executors.newScheduledThreadPool(1);
        try {
            sim.advanceRuns();
            sim.advancePerPoll(true);
            AzureMlClient newClient = new AzureMlClientBuilder().credential(sim.credential())
                    .httpClient(sim.httpClient()).buildClient();
            RunWaiter after = new RunWaiter(newClient, new RunMonitor(MonitorSettings.DEFAULT.withDelays(
                    Duration.ofMillis(20), 1.2, Duration.ofMillis(100)), Clock.systemUTC()), newScheduler);
            console.clear();
            RunOutcome outcome = outcome(after.resume((RunProgress) deserialize(saved), listener));
            assertThat(outcome.getResult()).isEqualTo(RunOutcome.Result.SUCCEEDED);
            assertThat(console.get(0)).isEqualTo("Azure ML run " + run.getRunId() + ": Running");
        } finally {
            newScheduler.shutdownNow();
        }
    }

    static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    /** Awaits a condition with a deadline (no fixed sleeps). */
    static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + AWAIT);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // re-check interval, not a sync point
        }
    }
}
