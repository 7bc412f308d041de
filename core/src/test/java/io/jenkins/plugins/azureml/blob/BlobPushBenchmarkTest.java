package io.jenkins.plugins.azureml.blob;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import io.jenkins.plugins.azureml.blob.events.BlobEventConsumer;
import io.jenkins.plugins.azureml.blob.events.BlobEventCycle;
import io.jenkins.plugins.azureml.blob.events.EventGridFixture;
import io.jenkins.plugins.azureml.blob.events.EventWatchTarget;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push vs poll, side by side in one run on the same Azurite container of {@code bench.blobs} blobs (default 50,000):
 * commit-to-scheduled latency p50/p95 with the consumer's receive loop at its default idle delay (1 s) and with
 * back-to-back listings (polling's best case: a cron spec adds up to its interval), and the work per change (items
 * listed, HTTP requests to blob and queue services, idle receives included). Event Grid's own delivery latency is
 * not in the push figure: the fixture enqueues right after each commit.
 * Run with {@code mvn -B -ntp -f core/pom.xml verify -Pbench -Dtest=BlobPushBenchmarkTest}.
 */
@Tag("bench")
class BlobPushBenchmarkTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();
    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();

    private static final int BLOBS = Integer.getInteger("bench.blobs", 50_000);
    private static final int CHANGES = Integer.getInteger("bench.changes", 40);
    private static final Duration SPACING = Duration.ofMillis(250);

    @TempDir
    Path dir;

    /** Counts the HTTP requests of the clients it is added to. */
    private static final class Counter implements HttpPipelinePolicy {
        final AtomicLong requests = new AtomicLong();

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            requests.incrementAndGet();
            return next.process();
        }
    }

    @Test
    void pushVersusPoll() throws Exception {
        BlobContainerClient container = AZURITE.createContainer("pushbench");
        BlobContainerAsyncClient async = new BlobServiceClientBuilder().connectionString(AZURITE.connectionString())
                .buildAsyncClient().getBlobContainerAsyncClient(container.getBlobContainerName());
        long fillStart = System.nanoTime();
        Flux.range(0, BLOBS).flatMap(i -> async.getBlobAsyncClient(String.format("data/old/%06d.csv", i))
                .upload(BinaryData.fromString("x"), true), 64).blockLast();
        System.out.printf("push bench: filled %d blobs in %.1f s%n", BLOBS, (System.nanoTime() - fillStart) / 1e9);

        Counter blobRequests = new Counter();
        BlobContainerClient counted = new BlobContainerClientBuilder().connectionString(AZURITE.connectionString())
                .containerName(container.getBlobContainerName()).addPolicy(blobRequests).buildClient();
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).prefix("data/").build();
        Map<String, Long> scheduledAt = new ConcurrentHashMap<>();
        ChangeScheduler scheduler = (changes, env) -> changes.forEach(c ->
                scheduledAt.putIfAbsent(c.name() + "@" + c.etag(), System.nanoTime()));

        // Poll: listings back to back while a writer commits.
        BlobPollCycle poll = new BlobPollCycle(BlobChangeDetector.builder(counted).build(),
                new WatchStateStore(dir.resolve("poll.json")), BlobPollCycle.Mode.PER_BLOB, scheduler);
        PollReport baseline = poll.run(watch);
        assertThat(baseline.succeeded()).isTrue();
        AtomicLong listed = new AtomicLong();
        AtomicLong listings = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (writing.get() || listings.get() < 2) {
                PollReport r = poll.run(watch);
                listed.addAndGet(listedCount(r));
                listings.incrementAndGet();
            }
        });
        long blobBefore = blobRequests.requests.get();
        poller.start();
        Map<String, Long> committedPoll = commit(container, "data/poll/", null);
        writing.set(false);
        poller.join(TimeUnit.MINUTES.toMillis(10));
        long pollRequests = blobRequests.requests.get() - blobBefore;
        List<Long> pollLatency = latencies(committedPoll, scheduledAt);

        // Push: the consumer at its default idle delay; the fixture enqueues each commit's event.
        Counter queueRequests = new Counter();
        QueueClient queue = new QueueClientBuilder().connectionString(QUEUES.connectionString())
                .queueName("bench-events").addPolicy(queueRequests).buildClient();
        queue.create();
        QueueClient poison = new QueueClientBuilder().connectionString(QUEUES.connectionString())
                .queueName("bench-events-poison").buildClient();
        WatchStateStore pushStore = new WatchStateStore(dir.resolve("push.json"));
        new BlobPollCycle(BlobChangeDetector.builder(container).build(), pushStore, BlobPollCycle.Mode.PER_BLOB,
                scheduler).run(watch); // the reconciliation's baseline
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        EventWatchTarget target = new EventWatchTarget("bench", watch, counted, pushStore,
                BlobPollCycle.Mode.PER_BLOB, scheduler);
        BlobEventConsumer consumer = new BlobEventConsumer(BlobEventCycle.builder(queue, poison).build(),
                () -> List.of(target), thread, r -> { }, line -> { }, BlobEventConsumer.DEFAULT_IDLE_DELAY,
                BlobEventConsumer.DEFAULT_MAX_BACKOFF);
        long blobBeforePush = blobRequests.requests.get();
        long queueBeforePush = queueRequests.requests.get();
        consumer.start();
        Map<String, Long> committedPush = commit(container, "data/push/", queue);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!scheduledAt.keySet().containsAll(committedPush.keySet())) {
            assertThat(System.nanoTime()).as("every pushed change scheduled").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // re-check interval
        }
        consumer.close();
        thread.shutdown();
        long pushBlobRequests = blobRequests.requests.get() - blobBeforePush;
        long pushQueueRequests = queueRequests.requests.get() - queueBeforePush;
        List<Long> pushLatency = latencies(committedPush, scheduledAt);

        double pollItems = (double) listed.get() / CHANGES;
        double pollPerChange = (double) pollRequests / CHANGES;
        double pushPerChange = (double) (pushBlobRequests + pushQueueRequests) / CHANGES;
        System.out.printf("push bench: %d blobs under the prefix, %d changes %d ms apart%n", BLOBS, CHANGES,
                SPACING.toMillis());
        System.out.printf("push bench: latency commit->scheduled p50/p95: push %d/%d ms, poll (back to back, %d "
                        + "listings) %d/%d ms; ratio p95 poll/push %.1f%n", pct(pushLatency, 50), pct(pushLatency, 95),
                listings.get(), pct(pollLatency, 50), pct(pollLatency, 95),
                (double) pct(pollLatency, 95) / Math.max(1, pct(pushLatency, 95)));
        // Items touched per change: the listing's items vs push's one Get Blob Properties.
        System.out.printf("push bench: per change: push 0 items listed + 1 blob read, %.2f requests (%d blob + %d "
                        + "queue, idle receives included); poll %.0f items listed, %.2f requests; ratios poll/push: "
                        + "items %.0f, requests %.2f; push's reconciliation lists %d items once per spec tick%n",
                pushPerChange, pushBlobRequests, pushQueueRequests, pollItems, pollPerChange, pollItems,
                pollPerChange / pushPerChange, BLOBS + 2L * CHANGES);
        assertThat(pushLatency).hasSize(CHANGES);
        assertThat(pollLatency).hasSize(CHANGES);
    }

    private static long listedCount(PollReport r) {
        return r.entry().listed();
    }

    private static Map<String, Long> commit(BlobContainerClient container, String folder, QueueClient queue) {
        Map<String, Long> committed = new ConcurrentHashMap<>();
        for (int i = 0; i < CHANGES; i++) {
            String name = folder + "change-" + i + ".csv";
            String etag = TestBlobs.upload(container, name, "new data " + i);
            committed.put(name + "@" + etag, System.nanoTime());
            if (queue != null) {
                EventGridFixture.send(queue, EventGridFixture.message(EventGridFixture.Format.EVENT_GRID_BASE64,
                        container.getBlobClient(name).getBlobUrl(), container.getBlobContainerName(), name, etag,
                        ("new data " + i).length(), "PutBlob"));
            }
            LockSupport.parkNanos(SPACING.toNanos()); // the writers' pace, not a synchronisation
        }
        return committed;
    }

    private static List<Long> latencies(Map<String, Long> committed, Map<String, Long> scheduledAt) {
        List<Long> out = new ArrayList<>();
        committed.forEach((key, at) -> {
            Long s = scheduledAt.get(key);
            if (s != null) {
                out.add(TimeUnit.NANOSECONDS.toMillis(s - at));
            }
        });
        Collections.sort(out);
        return out;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (sorted.size() * p + 99) / 100 - 1));
    }
}
