package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.jenkins.plugins.azureml.blob.log.PollHistory;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos on the real trigger path: 8 writers commit blobs ({@link ChaosWriters}) while {@link BlobPollCycle} polls
 * back to back with a {@link WatchStateStore} file and a {@link io.jenkins.plugins.azureml.blob.log.PollHistory}; Azurite is stopped and restarted on the
 * same data directory; the "controller" restarts (new detector, cycle and store, state reloaded from the file),
 * once by crashing between scheduling builds and saving the state. The oracle, as in {@link ConcurrentWritersTest}:
 * every non-empty committed (name, ETag) under the watched prefix that some successful sweep provably could list
 * (committed before the sweep began, not replaced before it ended) must be scheduled exactly once, de-duplicated
 * like the Jenkins glue by (container, name, ETag); only the changes scheduled before the simulated crash may be
 * reported again, and they are counted apart. The default build runs a scaled-down plan; {@code -Pchaos} the full
 * one.
 */
class ChaosPollTest {
    /** How hard to shake: writers, commits, Azurite restarts, controller restarts (the first is the crash). */
    private record Plan(int writers, int commits, int overwritePercent, int azuriteRestarts, int detectorRestarts,
                        int pageSize, Duration deadline) {
    }

    /** How many changes the crashing scheduler hands on before the simulated controller death. */
    private static final int CHANGES_BEFORE_CRASH = 5;

    @TempDir
    Path dir;

    @Test
    void scaledDownChaosMissesNothingAndRepeatsNothing() throws Exception {
        run(new Plan(8, 600, 30, 1, 2, 100, Duration.ofSeconds(120)));
    }

    @Test
    @Tag("chaos")
    void chaosWithTenThousandCommitsMissesNothingAndRepeatsNothing() throws Exception {
        run(new Plan(8, Integer.getInteger("chaos.commits", 10_000), 50, 2, 6, 5000, Duration.ofMinutes(15)));
    }

    private record Sweep(long startNanos, long endNanos) {
    }

    /** The Jenkins side: what was scheduled, de-duplicated by (container, name, ETag) like the glue. */
    private static final class Builds {
        final Map<String, Integer> scheduled = new HashMap<>();
        final Set<String> crashWindow = new HashSet<>();
        final Set<String> crashReReported = new HashSet<>();
        int duplicates;
        int crashArmed; // > 0: changes to hand on before crashing; 0: no crash pending
        int crashes;
        final List<String> handedThisPoll = new ArrayList<>();
        final Set<String> pollingLogSaw = new HashSet<>();

        ChangeScheduler scheduler() {
            return (changes, environment) -> {
                for (BlobChange c : changes) {
                    String key = c.name() + "@" + c.etag();
                    handedThisPoll.add(key);
                    if (scheduled.merge(key, 1, Integer::sum) > 1) {
                        if (crashWindow.contains(key) && crashReReported.add(key)) {
                            continue; // the glue's queue/recent-build check skips it; counted apart
                        }
                        duplicates++;
                    }
                }
                if (crashArmed > 0 && handedThisPoll.size() >= crashArmed) {
                    crashWindow.addAll(handedThisPoll); // builds queued, then the controller dies
                    crashArmed = 0;
                    crashes++;
                    throw new IllegalStateException("simulated controller crash before the state is saved");
                }
            };
        }
    }

    private void run(Plan plan) throws Exception {
        long started = System.nanoTime();
        long deadline = started + plan.deadline().toNanos();
        try (AzuriteExtension azurite = new AzuriteExtension()) {
            azurite.start();
            BlobContainerClient container = azurite.createContainer("chaos");
            BlobWatch watch = BlobWatch.builder().accountUrl(azurite.blobEndpoint())
                    .container(container.getBlobContainerName()).prefix("data/")
                    .lateArrivalMargin(Duration.ofSeconds(10)).build();
            Path stateFile = dir.resolve("job/azure-blob-trigger-state.json");
            PollHistory pollingLog = new PollHistory(dir.resolve("job/azure-blob-polls.jsonl"), 256 * 1024);
            Builds builds = new Builds();
            BlobPollCycle cycle = newController(azurite, watch, stateFile, builds, plan.pageSize());
            assertThat(cycle.run(watch).succeeded()).as("baseline poll").isTrue();

            ReentrantReadWriteLock writes = new ReentrantReadWriteLock(true);
            ChaosWriters writers = new ChaosWriters(container, writes.readLock(), plan.commits(),
                    plan.overwritePercent());
            ExecutorService pool = Executors.newFixedThreadPool(plan.writers() + 1);
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < plan.writers(); w++) {
                int writer = w;
                writing.add(pool.submit(() -> writers.write(writer)));
            }
            AtomicInteger failedPolls = new AtomicInteger();
            AtomicInteger azuriteRestarts = new AtomicInteger();
            Future<?> outages = pool.submit(() -> {
                for (int i = 1; i <= plan.azuriteRestarts(); i++) {
                    int threshold = plan.commits() * i / (plan.azuriteRestarts() + 1);
                    await(() -> writers.commits() >= threshold, deadline, "writers to reach " + threshold);
                    writes.writeLock().lock(); // between two writes: every commit's ETag stays known
                    try {
                        int failedBefore = failedPolls.get();
                        azurite.stop();
                        await(() -> failedPolls.get() > failedBefore, deadline, "a poll to fail during the outage");
                        azurite.start();
                        azuriteRestarts.incrementAndGet();
                    } finally {
                        writes.writeLock().unlock();
                    }
                }
                return null;
            });

            List<Sweep> sweeps = new ArrayList<>();
            int polls = 1;
            int controllerRestarts = 0;
            int nextRestart = 1;
            long nextProgress = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (writing.stream().anyMatch(f -> !f.isDone())) {
                if (System.nanoTime() > nextProgress) {
                    nextProgress += Duration.ofSeconds(30).toNanos();
                    System.out.printf("chaos progress at %.0f s: %d commits, %d polls (%d failed), %d scheduled%n",
                            (System.nanoTime() - started) / 1e9, writers.commits(), polls, failedPolls.get(),
                            builds.scheduled.size());
                }
                assertThat(System.nanoTime()).as("chaos run within " + plan.deadline()).isLessThan(deadline);
                if (nextRestart <= plan.detectorRestarts() && builds.crashArmed == 0
                        && writers.commits() >= plan.commits() * nextRestart / (plan.detectorRestarts() + 1)) {
                    if (nextRestart == 1) {
                        builds.crashArmed = CHANGES_BEFORE_CRASH; // the first restart is a crash
                    } else {
                        cycle = newController(azurite, watch, stateFile, builds, plan.pageSize());
                        controllerRestarts++;
                    }
                    nextRestart++;
                }
                int crashesBefore = builds.crashes;
                poll(cycle, watch, pollingLog, builds, sweeps, failedPolls);
                polls++;
                if (builds.crashes > crashesBefore) {
                    cycle = newController(azurite, watch, stateFile, builds, plan.pageSize()); // restarted after the crash
                    controllerRestarts++;
                }
            }
            for (Future<?> f : writing) {
                f.get(); // surfaces a writer's failure
            }
            outages.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            // Quiet polls: everything is committed; the first successful one catches up, the next finds nothing.
            int quietAttempts = 0;
            while (!poll(cycle, watch, pollingLog, builds, sweeps, failedPolls)) {
                assertThat(++quietAttempts).as("a quiet poll succeeds").isLessThan(5);
            }
            int before = builds.scheduled.size();
            PollReport last = cycle.run(watch);
            polls += quietAttempts + 2;
            assertThat(last.succeeded()).isTrue();
            assertThat(last.changes()).as("a further quiet poll reports nothing").isEmpty();
            assertThat(builds.scheduled).hasSize(before);

            verify(plan, writers, builds, sweeps, polls, failedPolls.get(), azuriteRestarts.get(), controllerRestarts,
                    pollingLog, stateFile, started);
        }
    }

    private static boolean poll(BlobPollCycle cycle, BlobWatch watch, PollHistory log, Builds builds,
                                List<Sweep> sweeps, AtomicInteger failedPolls) throws Exception {
        builds.handedThisPoll.clear();
        long start = System.nanoTime();
        PollReport report = cycle.run(watch);
        long end = System.nanoTime();
        log.append(report.entry());
        if (report.text().contains("Scheduling failed after") && report.text().contains("simulated controller crash")) {
            builds.pollingLogSaw.add("crash");
        }
        if (report.text().contains("ERROR: Listing")) {
            builds.pollingLogSaw.add("outage");
        }
        if (report.succeeded()) {
            sweeps.add(new Sweep(start, end));
        } else {
            failedPolls.incrementAndGet();
        }
        return report.succeeded();
    }

    private static BlobPollCycle newController(AzuriteExtension azurite, BlobWatch watch, Path stateFile,
                                               Builds builds, int pageSize) {
        // Few quick tries per request: an outage fails the poll in well under a second and the next poll retries.
        RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.FIXED, 2, 30, 200L, 200L, null);
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                        .retryOptions(retry).withConnectionString(azurite.connectionString()))
                .pageSize(pageSize).build();
        return new BlobPollCycle(detector, new WatchStateStore(stateFile), BlobPollCycle.Mode.PER_BLOB,
                builds.scheduler());
    }

    private static void verify(Plan plan, ChaosWriters writers, Builds builds, List<Sweep> sweeps, int polls,
                               int failedPolls, int azuriteRestarts, int controllerRestarts, PollHistory log,
                               Path stateFile, long started) throws Exception {
        Set<String> watched = new HashSet<>();
        long mustReport = 0;
        long missed = 0;
        long unobservable = 0;
        long ignoredEmptyOrOutside = 0;
        List<String> missedExamples = new ArrayList<>();
        for (ChaosWriters.Version v : writers.versions) {
            if (v.size() == 0 || !v.name().startsWith("data/")) {
                ignoredEmptyOrOutside++;
                continue;
            }
            watched.add(v.key());
            boolean listable = sweeps.stream().anyMatch(s -> v.committedNanos() < s.startNanos()
                    && (v.supersededNanos()[0] == 0 || v.supersededNanos()[0] > s.endNanos()));
            if (listable) {
                mustReport++;
                if (!builds.scheduled.containsKey(v.key())) {
                    missed++;
                    if (missedExamples.size() < 5) {
                        missedExamples.add(v.key());
                    }
                }
            } else if (!builds.scheduled.containsKey(v.key())) {
                unobservable++;
            }
        }
        long unknown = builds.scheduled.keySet().stream().filter(k -> !watched.contains(k)).count();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("chaos: %d commits (%d non-empty under the prefix, %d empty placeholders or outside it) by "
                        + "%d writers in %.1f s; %d polls (%d failed during outages), %d Azurite restarts, "
                        + "%d controller restarts (%d crash); %d had to be reported, %d scheduled, %d missed, "
                        + "%d duplicates, %d crash re-reports (of %d scheduled before the crash), %d replaced before "
                        + "any listing could see them, %d unknown; state file %d bytes%n",
                writers.versions.size(), watched.size(), ignoredEmptyOrOutside, plan.writers(), seconds, polls,
                failedPolls, azuriteRestarts, controllerRestarts, builds.crashes, mustReport, builds.scheduled.size(),
                missed, builds.duplicates, builds.crashReReported.size(), builds.crashWindow.size(), unobservable,
                unknown, java.nio.file.Files.size(stateFile));
        assertThat(missedExamples).as("missed").isEmpty();
        assertThat(missed).isZero();
        assertThat(builds.duplicates).as("reported twice outside the crash window").isZero();
        assertThat(unknown).as("reported but never written under the prefix, or empty").isZero();
        assertThat(builds.crashes).isEqualTo(1);
        assertThat(builds.crashReReported).isSubsetOf(builds.crashWindow);
        assertThat(builds.crashReReported).as("the crashed poll's changes come back").isNotEmpty();
        assertThat(azuriteRestarts).isEqualTo(plan.azuriteRestarts());
        assertThat(failedPolls).as("polls hit the outages").isGreaterThanOrEqualTo(plan.azuriteRestarts());
        assertThat(controllerRestarts).isGreaterThanOrEqualTo(plan.detectorRestarts());
        assertThat(writers.versions.size()).isGreaterThanOrEqualTo(plan.commits());
        assertThat(mustReport).isGreaterThan(watched.size() / 2);
        assertThat(builds.pollingLogSaw).as("the polling log told of the crash and the outages")
                .containsExactlyInAnyOrder("crash", "outage");
        assertThat(java.nio.file.Files.size(stateFile.resolveSibling("azure-blob-polls.jsonl")))
                .as("the polling log stays bounded")
                .isLessThanOrEqualTo(256 * 1024);
        PollHistory.Contents logged = log.read();
        assertThat(logged.unreadableLines()).as("every logged poll reads back").isZero();
        assertThat(logged.entries()).as("the log keeps the latest polls").isNotEmpty();
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
