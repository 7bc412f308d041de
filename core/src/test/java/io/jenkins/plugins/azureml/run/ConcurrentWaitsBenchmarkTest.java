package io.jenkins.plugins.azureml.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10 and 1,000 concurrent waits on one 2-thread scheduler, side by side in one run: the peak JVM thread count must
 * stay flat (waiting holds no thread); reports live threads before, during (peak) and after, and the scheduler's
 * queue (one pending poll per wait). Run with
 * {@code mvn -B -ntp -f core/pom.xml verify -Pbench -Dtest=ConcurrentWaitsBenchmarkTest}. (Named *Test so that
 * surefire picks it up at all: as ConcurrentWaitsBenchmark it never ran, not even with -Pbench.)
 */
@Tag("bench")
class ConcurrentWaitsBenchmarkTest {
    @Test
    void threadCountStaysFlatFrom10To1000ConcurrentWaits() throws Exception {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl").runningFor(5, RunStatus.COMPLETED)
                    .build());
            AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential())
                    .httpClient(sim.httpClient()).buildClient();
            PipelineEndpoint endpoint = PipelineEndpoint.parse(sim.submitUrl(pipeline));
            PipelineSubmission submission = PipelineSubmission.builder().experimentName("bench").build();
            peakThreadsWhileWaiting(client, endpoint, submission, 10); // warm-up: TLS, JIT, netty event loops
            int small = peakThreadsWhileWaiting(client, endpoint, submission, 10);
            int large = peakThreadsWhileWaiting(client, endpoint, submission, 1000);
            System.out.printf("peak threads: 10 waits=%d, 1000 waits=%d, ratio=%.2f%n", small, large,
                    (double) large / small);
            assertThat((double) large / small).isLessThan(1.5);
        }
    }

    private static int peakThreadsWhileWaiting(AzureMlClient client, PipelineEndpoint endpoint,
                                               PipelineSubmission submission, int waits) throws Exception {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try {
            RunWaiter waiter = new RunWaiter(client, new RunMonitor(MonitorSettings.DEFAULT.withDelays(
                    Duration.ofMillis(200), 1.2, Duration.ofMillis(1000)), Clock.systemUTC()), scheduler);
            List<CompletableFuture<RunOutcome>> outcomes = new ArrayList<>();
            long submitStart = System.nanoTime();
            List<PipelineRun> runs = new ArrayList<>();
            for (int i = 0; i < waits; i++) {
                runs.add(client.submit(endpoint, submission));
            }
            long waitStart = System.nanoTime();
            for (PipelineRun run : runs) {
                outcomes.add(waiter.await(run, Duration.ofMinutes(5), line -> { }).outcome());
            }
            AtomicInteger peak = new AtomicInteger();
            AtomicInteger peakQueue = new AtomicInteger();
            long polls = 0;
            long queueSum = 0;
            CompletableFuture<Void> all = CompletableFuture.allOf(outcomes.toArray(new CompletableFuture[0]));
            while (!all.isDone()) {
                peak.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                int queued = ((ScheduledThreadPoolExecutor) scheduler).getQueue().size();
                peakQueue.accumulateAndGet(queued, Math::max);
                queueSum += queued;
                polls++;
                try {
                    all.get(50, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // sample again
                }
            }
            assertThat(outcomes).allMatch(f -> f.join().getResult() == RunOutcome.Result.SUCCEEDED);
            scheduler.shutdown();
            assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            int after = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf("%d waits: live threads before=%d, peak during=%d, after=%d; scheduler queue peak=%d, "
                    + "mean=%.0f over %d samples; submitting took %.1f s, waiting %.1f s%n", waits, before,
                    peak.get(), after, peakQueue.get(), polls == 0 ? 0.0 : (double) queueSum / polls, polls,
                    (waitStart - submitStart) / 1e9, (System.nanoTime() - waitStart) / 1e9);
            return peak.get();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
