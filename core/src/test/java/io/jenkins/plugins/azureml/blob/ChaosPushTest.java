package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import io.jenkins.plugins.azureml.blob.events.BlobEventConsumer;
import io.jenkins.plugins.azureml.blob.events.BlobEventCycle;
import io.jenkins.plugins.azureml.blob.events.EventCycleReport;
import io.jenkins.plugins.azureml.blob.events.EventGridFixture;
import io.jenkins.plugins.azureml.blob.events.EventOutcome;
import io.jenkins.plugins.azureml.blob.events.EventWatchTarget;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos in push mode: 8 writers commit blobs ({@link ChaosWriters}); {@link EventGridPlayer} plays Event Grid into a
 * real Azurite queue (both schemas, both encodings, copies, delays, a share dropped, foreign messages, and a job that
 * can never schedule, whose message must end in the poison queue); {@link BlobEventConsumer} receives while the
 * reconciliation listing ({@link BlobPollCycle#asReconciliation()}) runs every few seconds on the same state file;
 * the queue service is restarted and the consumer is restarted (new cycle, stores and clients). Oracle, as the
 * chaos suite's: every version some sweep could list is scheduled exactly once across both paths, nothing unknown
 * is scheduled, and every dropped event that was listable was fired by the listing and counted as reconciled.
 */
class ChaosPushTest {
    private record Plan(int writers, int commits, int dropPercent, int queueRestarts, int consumerRestarts,
                        Duration reconcileEvery, Duration deadline) {
    }

    private record Sweep(long startNanos, long endNanos) {
    }

    @TempDir
    Path dir;

    @Test
    void scaledDownPushChaosMissesNothingAndRepeatsNothing() throws Exception {
        run(new Plan(8, 150, 10, 1, 1, Duration.ofSeconds(4), Duration.ofSeconds(150)));
    }

    @Test
    @Tag("chaos")
    void pushChaosWithTenThousandCommitsMissesNothingAndRepeatsNothing() throws Exception {
        run(new Plan(8, Integer.getInteger("chaos.commits", 10_000), 10, 3, 4, Duration.ofSeconds(5),
                Duration.ofMinutes(15)));
    }

    /** The Jenkins side, shared by both paths: what was scheduled, by which path. */
    private static final class Builds {
        final Map<String, String> scheduledBy = new HashMap<>();
        final List<String> duplicates = new ArrayList<>();

        synchronized ChangeScheduler scheduler(String path) {
            return (changes, env) -> {
                synchronized (this) {
                    for (BlobChange c : changes) {
                        String key = c.name() + "@" + c.etag();
                        if (scheduledBy.putIfAbsent(key, path) != null) {
                            duplicates.add(key + " by " + path + " after " + scheduledBy.get(key));
                        }
                    }
                }
            };
        }

        synchronized int size() {
            return scheduledBy.size();
        }

        synchronized long by(String path) {
            return scheduledBy.values().stream().filter(path::equals).count();
        }
    }

    private void run(Plan plan) throws Exception {
        long started = System.nanoTime();
        long deadline = started + plan.deadline().toNanos();
        try (AzuriteExtension blobs = new AzuriteExtension(); AzuriteQueueExtension queues = new AzuriteQueueExtension()) {
            blobs.start();
            queues.start();
            BlobContainerClient container = blobs.createContainer("push");
            RequestRetryOptions quick = new RequestRetryOptions(RetryPolicyType.FIXED, 2, 30, 100L, 100L, null);
            queues.queue("incoming-events", null).create();
            BlobWatch watch = BlobWatch.builder().accountUrl(blobs.blobEndpoint())
                    .container(container.getBlobContainerName()).prefix("data/")
                    .lateArrivalMargin(Duration.ofSeconds(10)).build();
            BlobWatch brokenWatch = BlobWatch.builder().accountUrl(blobs.blobEndpoint())
                    .container(container.getBlobContainerName()).prefix("broken/").build();
            Path stateFile = dir.resolve("job/azure-blob-trigger-state.json");
            Builds builds = new Builds();
            BlobPollCycle listing = new BlobPollCycle(BlobChangeDetector.builder(BlobContainerClientFactory
                            .forWatch(watch).retryOptions(quick).withConnectionString(blobs.connectionString()))
                    .pageSize(500).build(), new WatchStateStore(stateFile),
                    BlobPollCycle.Mode.PER_BLOB, builds.scheduler("listing")).asReconciliation();
            assertThat(listing.run(watch).succeeded()).as("baseline listing").isTrue();

            AtomicInteger brokenAttempts = new AtomicInteger();
            Map<EventOutcome, Integer> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicInteger poisoned = new AtomicInteger();
            AtomicInteger removed = new AtomicInteger();
            List<String> outageLog = java.util.Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService consumerThread = Executors.newSingleThreadScheduledExecutor();
            AtomicReference<BlobEventConsumer> consumer = new AtomicReference<>();
            Runnable startConsumer = () -> {
                // A restarted controller: new clients, cycle and stores; the state comes from the file.
                BlobContainerClient client = BlobContainerClientFactory.forWatch(watch).retryOptions(quick)
                        .withConnectionString(blobs.connectionString());
                List<EventWatchTarget> targets = List.of(
                        new EventWatchTarget("job", watch, client, new WatchStateStore(stateFile),
                                BlobPollCycle.Mode.PER_BLOB, builds.scheduler("event")),
                        new EventWatchTarget("broken-job", brokenWatch, client,
                                new WatchStateStore(dir.resolve("broken/state.json")), BlobPollCycle.Mode.PER_BLOB,
                                (changes, env) -> {
                                    brokenAttempts.incrementAndGet();
                                    throw new IllegalStateException("this job never schedules");
                                }));
                BlobEventCycle cycle = BlobEventCycle.builder(queues.queue("incoming-events", quick),
                        queues.queue("incoming-events-poison", quick)).visibilityTimeout(Duration.ofSeconds(2))
                        .maxDequeueCount(3).build();
                BlobEventConsumer c = new BlobEventConsumer(cycle, () -> targets, consumerThread, r -> {
                    r.outcomes().forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
                    poisoned.addAndGet(r.poisoned());
                    removed.addAndGet(r.otherEvents() + r.malformed() + r.notWatched());
                }, outageLog::add, Duration.ofMillis(100), Duration.ofSeconds(1));
                consumer.set(c);
                c.start();
            };
            startConsumer.run();

            EventGridPlayer grid = new EventGridPlayer(container, queues.queue("incoming-events", quick),
                    plan.dropPercent(), Duration.ofMillis(800));
            ReentrantReadWriteLock writes = new ReentrantReadWriteLock(true);
            ChaosWriters writers = new ChaosWriters(container, writes.readLock(), plan.commits(), 30);
            writers.onCommit = grid::committed;
            String brokenEtag = TestBlobs.upload(container, "broken/never.csv", "x");
            grid.later(EventGridFixture.message(EventGridFixture.Format.EVENT_GRID_BASE64,
                    container.getBlobClient("broken/never.csv").getBlobUrl(), container.getBlobContainerName(),
                    "broken/never.csv", brokenEtag, 1, "PutBlob"));

            ExecutorService pool = Executors.newFixedThreadPool(plan.writers() + 1);
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < plan.writers(); w++) {
                int writer = w;
                writing.add(pool.submit(() -> writers.write(writer)));
            }
            AtomicInteger queueRestarts = new AtomicInteger();
            Future<?> outages = pool.submit(() -> {
                for (int i = 1; i <= plan.queueRestarts(); i++) {
                    int threshold = plan.commits() * i / (plan.queueRestarts() + 1);
                    await(() -> writers.commits() >= threshold, deadline, "writers to reach " + threshold);
                    queues.stop();
                    int failuresSeen = outageLog.size();
                    await(() -> outageLog.size() > failuresSeen, deadline, "the consumer to log the outage");
                    queues.start();
                    queueRestarts.incrementAndGet();
                }
                return null;
            });

            List<Sweep> sweeps = new ArrayList<>();
            long reconciled = 0;
            int consumerRestarts = 0;
            int listings = 1;
            long nextListing = System.nanoTime() + plan.reconcileEvery().toNanos();
            while (writing.stream().anyMatch(f -> !f.isDone())) {
                assertThat(System.nanoTime()).as("chaos run within " + plan.deadline()).isLessThan(deadline);
                if (consumerRestarts < plan.consumerRestarts()
                        && writers.commits() >= plan.commits() * (consumerRestarts + 1) / (plan.consumerRestarts() + 1)) {
                    consumer.get().close();
                    startConsumer.run();
                    consumerRestarts++;
                }
                if (System.nanoTime() >= nextListing) {
                    reconciled += reconcile(listing, watch, sweeps);
                    listings++;
                    nextListing = System.nanoTime() + plan.reconcileEvery().toNanos();
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the main loop's tick, not a synchronisation
            }
            for (Future<?> f : writing) {
                f.get();
            }
            outages.get(60, TimeUnit.SECONDS);
            // Let Event Grid deliver everything and the consumer empty the queue (the broken job's message included).
            await(grid::drained, deadline, "every event delivered to the queue");
            QueueClient probe = queues.queue("incoming-events", quick);
            await(() -> probe.getProperties().getApproximateMessagesCountLong() == 0 && poisoned.get() >= 1, deadline,
                    "the consumer to empty the queue");
            consumer.get().close();
            consumerThread.shutdown();
            assertThat(consumerThread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            grid.close();
            pool.shutdown();
            long lastReconciled = reconcile(listing, watch, sweeps);
            reconciled += lastReconciled;
            PollReport quiet = listing.run(watch);
            assertThat(quiet.changes()).as("a further listing finds nothing").isEmpty();
            listings += 2;

            verify(plan, writers, grid, builds, sweeps, reconciled, outcomes, poisoned.get(), removed.get(),
                    brokenAttempts.get(), queueRestarts.get(), consumerRestarts, listings, outageLog, started,
                    queues.queue("incoming-events-poison", quick));
        }
    }

    private static long reconcile(BlobPollCycle listing, BlobWatch watch, List<Sweep> sweeps) {
        long start = System.nanoTime();
        PollReport report = listing.run(watch);
        long end = System.nanoTime();
        assertThat(report.succeeded()).as("reconciliation listing: %s", report.text()).isTrue();
        sweeps.add(new Sweep(start, end));
        return report.reconciled();
    }

    private static void verify(Plan plan, ChaosWriters writers, EventGridPlayer grid, Builds builds,
                               List<Sweep> sweeps, long reconciled, Map<EventOutcome, Integer> outcomes, int poisoned,
                               int removed, int brokenAttempts, int queueRestarts, int consumerRestarts, int listings,
                               List<String> outageLog, long started, QueueClient poisonQueue) {
        Set<String> watched = new HashSet<>();
        long mustReport = 0;
        List<String> missed = new ArrayList<>();
        long droppedListable = 0;
        List<String> droppedNotByListing = new ArrayList<>();
        for (ChaosWriters.Version v : writers.versions) {
            if (v.size() == 0 || !v.name().startsWith("data/")) {
                continue;
            }
            watched.add(v.key());
            boolean listable = sweeps.stream().anyMatch(s -> v.committedNanos() < s.startNanos()
                    && (v.supersededNanos()[0] == 0 || v.supersededNanos()[0] > s.endNanos()));
            if (!listable) {
                continue;
            }
            mustReport++;
            String by;
            synchronized (builds) {
                by = builds.scheduledBy.get(v.key());
            }
            if (by == null) {
                missed.add(v.key());
            } else if (grid.dropped.contains(v.key())) {
                droppedListable++;
                if (!by.equals("listing")) {
                    droppedNotByListing.add(v.key());
                }
            }
        }
        long unknown;
        synchronized (builds) {
            unknown = builds.scheduledBy.keySet().stream().filter(k -> !watched.contains(k)).count();
        }
        System.out.printf("push chaos: %d commits by %d writers in %.1f s; Event Grid: %d announced, %d dropped, "
                        + "%d copies, %d foreign, %d send retries; consumer: %s, %d removed, %d poisoned; %d queue "
                        + "restarts, %d consumer restarts, %d listings; %d had to be scheduled, %d scheduled (%d by "
                        + "events, %d by the listing, %d reconciled), %d missed, %d duplicates, %d unknown; "
                        + "%d dropped and listable, all fired by the listing: %s; mean send %.1f ms%n",
                writers.versions.size(), plan.writers(), (System.nanoTime() - started) / 1e9, grid.announced.get(),
                grid.dropped.size(), grid.copies.get(), grid.foreign.get(), grid.sendRetries.get(), outcomes,
                removed, poisoned, queueRestarts, consumerRestarts, listings, mustReport, builds.size(),
                builds.by("event"), builds.by("listing"), reconciled, missed.size(), builds.duplicates.size(),
                unknown, droppedListable, droppedNotByListing.isEmpty(),
                grid.sendNanos.get() / 1e6 / Math.max(1, grid.sent.get()));
        assertThat(missed).as("missed").isEmpty();
        assertThat(builds.duplicates).as("scheduled twice").isEmpty();
        assertThat(unknown).as("scheduled but never written under the prefix, or empty").isZero();
        assertThat(droppedNotByListing).as("dropped events fired by someone other than the listing").isEmpty();
        assertThat(droppedListable).as("some dropped events were there to reconcile").isPositive();
        assertThat(reconciled).as("the listing's reconciled count is what it fired").isEqualTo(builds.by("listing"));
        // How many each path fires depends on the machine's speed (a loaded machine's events lose more races with
        // the listing); both must take part.
        assertThat(builds.by("event")).as("events fired changes").isPositive();
        assertThat(outcomes.getOrDefault(EventOutcome.DUPLICATE, 0)).as("copies absorbed").isPositive();
        assertThat(poisoned).as("the broken job's message set aside").isEqualTo(1);
        // At most maxDequeueCount (3) tries; fewer when a receive is cut short by a consumer restart or a queue
        // outage before its job was tried (the receive still counts towards the message's dequeue count).
        assertThat(brokenAttempts).as("tried a bounded number of times").isBetween(1, 3);
        assertThat(poisonQueue.getProperties().getApproximateMessagesCountLong()).isEqualTo(1L);
        assertThat(removed).as("foreign and unwatched messages removed").isPositive();
        assertThat(queueRestarts).isEqualTo(plan.queueRestarts());
        assertThat(consumerRestarts).isEqualTo(plan.consumerRestarts());
        assertThat(outageLog).as("queue outages logged").isNotEmpty();
        assertThat(outageLog).anySatisfy(l -> assertThat(l).contains("reachable again"));
    }

    /** Awaits a condition with a deadline (re-checked every 20 ms; not a synchronisation by sleeping). */
    private static void await(BooleanSupplier condition, long deadlineNanos, String what) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
