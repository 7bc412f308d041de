package io.jenkins.plugins.azureml.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueAsyncClient;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import io.jenkins.plugins.azureml.blob.events.BlobEventConsumer;
import io.jenkins.plugins.azureml.blob.events.BlobEventCycle;
import io.jenkins.plugins.azureml.blob.events.EventGridFixture;
import io.jenkins.plugins.azureml.blob.events.EventWatchTarget;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * A burst, as ML data lands: {@code bench.burst} commits (default 5,000) in about {@code bench.burstSeconds} seconds
 * (default 10) into a container of {@code bench.blobs} blobs (default 50,000), scheduled by events alone (no
 * reconciliation listing runs during the burst). The consumer as it was (one storage call at a time) and as it is
 * (the batch's property checks and deletes {@value BlobEventCycle#DEFAULT_PARALLELISM} at a time), side by side in
 * one run on the same Azurite: events per second from the first commit to the last scheduled change, and
 * commit-to-scheduled p50/p95. Then the consumer alone: the same number of messages already in the queue, drained.
 * Run with {@code mvn -B -ntp -f core/pom.xml verify -Pbench -Dtest=BlobBurstBenchmarkTest}.
 */
@Tag("bench")
class BlobBurstBenchmarkTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();
    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();

    private static final int BLOBS = Integer.getInteger("bench.blobs", 50_000);
    private static final int BURST = Integer.getInteger("bench.burst", 5_000);
    private static final int BURST_SECONDS = Integer.getInteger("bench.burstSeconds", 10);

    @TempDir
    Path dir;

    private record Figures(int parallelism, double eventsPerSecond, long p50, long p95, double drainPerSecond) {
    }

    @Test
    void aBurstIsScheduledByEventsAlone() throws Exception {
        BlobContainerClient container = AZURITE.createContainer("burst");
        BlobContainerAsyncClient async = new BlobServiceClientBuilder().connectionString(AZURITE.connectionString())
                .buildAsyncClient().getBlobContainerAsyncClient(container.getBlobContainerName());
        long fillStart = System.nanoTime();
        Flux.range(0, BLOBS).flatMap(i -> async.getBlobAsyncClient(String.format("data/old/%06d.csv", i))
                .upload(BinaryData.fromString("x"), true), 64).blockLast();
        System.out.printf("burst bench: filled %d blobs in %.1f s%n", BLOBS, (System.nanoTime() - fillStart) / 1e9);
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).prefix("data/").build();
        Path baseline = dir.resolve("baseline.json");
        PollReport listing = new BlobPollCycle(BlobChangeDetector.builder(container).build(),
                new WatchStateStore(baseline), BlobPollCycle.Mode.PER_BLOB, (c, e) -> { }).run(watch);
        assertThat(listing.succeeded()).isTrue();

        List<Figures> figures = new ArrayList<>();
        for (int parallelism : new int[] {1, BlobEventCycle.DEFAULT_PARALLELISM}) {
            figures.add(run(container, async, watch, baseline, parallelism));
        }
        Figures before = figures.get(0);
        Figures after = figures.get(1);
        for (Figures f : figures) {
            System.out.printf("burst bench: parallelism %d: burst of %d commits in ~%d s: %.0f events/s, "
                            + "commit->scheduled p50/p95 %d/%d ms; a queue of %d messages drained at %.0f events/s%n",
                    f.parallelism, BURST, BURST_SECONDS, f.eventsPerSecond, f.p50, f.p95, BURST, f.drainPerSecond);
        }
        System.out.printf("burst bench: ratios parallel/sequential: burst events/s %.2f, p95 %.2f, drain %.2f%n",
                after.eventsPerSecond / before.eventsPerSecond, (double) after.p95 / Math.max(1, before.p95),
                after.drainPerSecond / before.drainPerSecond);
    }

    private Figures run(BlobContainerClient container, BlobContainerAsyncClient async, BlobWatch watch,
            Path baseline, int parallelism) throws IOException {
        String queueName = "burst-" + parallelism;
        QueueClient queue = new QueueClientBuilder().connectionString(QUEUES.connectionString()).queueName(queueName)
                .buildClient();
        queue.create();
        QueueAsyncClient queueAsync = new QueueClientBuilder().connectionString(QUEUES.connectionString())
                .queueName(queueName).buildAsyncClient();
        QueueClient poison = new QueueClientBuilder().connectionString(QUEUES.connectionString())
                .queueName(queueName + "-poison").buildClient();
        Map<String, Long> scheduledAt = new ConcurrentHashMap<>();
        ChangeScheduler scheduler = (changes, env) -> changes.forEach(c ->
                scheduledAt.putIfAbsent(c.name() + "@" + c.etag(), System.nanoTime()));

        // The burst, with the consumer running.
        Path state = dir.resolve("push-" + parallelism + ".json");
        Files.copy(baseline, state);
        BlobEventCycle cycle = BlobEventCycle.builder(queue, poison).parallelism(parallelism).build();
        Map<String, Long> committed = new ConcurrentHashMap<>();
        String folder = "data/burst-" + parallelism + "/";
        long start = System.nanoTime();
        consume(cycle, watch, container, state, scheduler, () -> {
            long spacing = TimeUnit.SECONDS.toNanos(BURST_SECONDS) / BURST;
            Semaphore inFlight = new Semaphore(64);
            CountDownLatch done = new CountDownLatch(BURST);
            for (int i = 0; i < BURST; i++) {
                // The writers' pace, not a synchronisation: commit i is due at start + i * spacing.
                LockSupport.parkNanos(start + i * spacing - System.nanoTime());
                inFlight.acquireUninterruptibly();
                String name = folder + String.format("%05d.csv", i);
                String content = "row " + i;
                async.getBlobAsyncClient(name).upload(BinaryData.fromString(content), true).flatMap(item -> {
                    committed.put(name + "@" + BlobChange.normaliseEtag(item.getETag()), System.nanoTime());
                    return queueAsync.sendMessage(BinaryData.fromString(EventGridFixture.message(
                            EventGridFixture.Format.EVENT_GRID_BASE64, container.getBlobClient(name).getBlobUrl(),
                            container.getBlobContainerName(), name, item.getETag(), content.length(), "PutBlob")));
                }).doFinally(signal -> {
                    inFlight.release();
                    done.countDown();
                }).subscribe(sent -> { }, error -> System.out.println("burst bench: a commit failed: " + error));
            }
            try {
                assertThat(done.await(10, TimeUnit.MINUTES)).as("the burst's commits").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, scheduledAt, committed);
        long lastScheduled = Collections.max(scheduledAt.values());
        List<Long> latency = new ArrayList<>();
        committed.forEach((key, at) -> latency.add(TimeUnit.NANOSECONDS.toMillis(scheduledAt.get(key) - at)));
        Collections.sort(latency);
        double eventsPerSecond = BURST / ((lastScheduled - start) / 1e9);

        // The consumer alone: the same commits' messages already queued, a fresh state.
        Path drainState = dir.resolve("drain-" + parallelism + ".json");
        Files.copy(baseline, drainState);
        Map<String, Long> drained = new ConcurrentHashMap<>();
        ChangeScheduler drainScheduler = (changes, env) -> changes.forEach(c ->
                drained.putIfAbsent(c.name() + "@" + c.etag(), System.nanoTime()));
        Flux.fromIterable(committed.keySet()).flatMap(key -> {
            String name = key.substring(0, key.lastIndexOf('@'));
            String etag = key.substring(key.lastIndexOf('@') + 1);
            return queueAsync.sendMessage(BinaryData.fromString(EventGridFixture.message(
                    EventGridFixture.Format.EVENT_GRID_BASE64, container.getBlobClient(name).getBlobUrl(),
                    container.getBlobContainerName(), name, etag, 5, "PutBlob")));
        }, 64).blockLast();
        long drainStart = System.nanoTime();
        consume(BlobEventCycle.builder(queue, poison).parallelism(parallelism).build(), watch, container, drainState,
                drainScheduler, () -> { }, drained, committed);
        double drainPerSecond = BURST / ((Collections.max(drained.values()) - drainStart) / 1e9);
        return new Figures(parallelism, eventsPerSecond, pct(latency, 50), pct(latency, 95), drainPerSecond);
    }

    /** Runs a consumer while {@code writer} runs, then until every committed change is scheduled. */
    private static void consume(BlobEventCycle cycle, BlobWatch watch, BlobContainerClient container, Path state,
            ChangeScheduler scheduler, Runnable writer, Map<String, Long> scheduledAt, Map<String, Long> committed) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        EventWatchTarget target = new EventWatchTarget("bench", watch, container, new WatchStateStore(state),
                BlobPollCycle.Mode.PER_BLOB, scheduler);
        BlobEventConsumer consumer = new BlobEventConsumer(cycle, () -> List.of(target), thread, r -> { },
                line -> { }, BlobEventConsumer.DEFAULT_IDLE_DELAY, BlobEventConsumer.DEFAULT_MAX_BACKOFF);
        consumer.start();
        try {
            writer.run();
            assertThat(committed).hasSize(BURST);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (!scheduledAt.keySet().containsAll(committed.keySet())) {
                assertThat(System.nanoTime()).as("every change scheduled by events").isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // re-check interval
            }
        } finally {
            consumer.close();
            thread.shutdown();
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (sorted.size() * p + 99) / 100 - 1));
    }
}
