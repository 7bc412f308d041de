package io.jenkins.plugins.azureml.blob;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detector poll vs a raw SDK listing of the same prefix, side by side in one run, plus state size and heap.
 * Run with {@code mvn -B -ntp -f core/pom.xml verify -Pbench} ({@code -Dbench.blobs=50000 -Dbench.rounds=9}).
 */
@Tag("bench")
class BlobPollBenchmarkTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final int BLOBS = Integer.getInteger("bench.blobs", 50_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 9);
    private static final int CHANGES_PER_POLL = 100;
    /** The margin the bench was measured with (the default before it became a setting). */
    private static final Duration MARGIN = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void pollVersusRawListing() throws Exception {
        BlobContainerClient container = AZURITE.createContainer("bench");
        BlobContainerAsyncClient async = new BlobServiceClientBuilder().connectionString(AZURITE.connectionString())
                .buildAsyncClient().getBlobContainerAsyncClient(container.getBlobContainerName());
        long fillStart = System.nanoTime();
        Flux.range(0, BLOBS).flatMap(i -> async.getBlobAsyncClient(name(i)).upload(BinaryData.fromString("x"), true),
                64).blockLast();
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        System.out.printf("bench: filled %d blobs in %.1f s (%.0f/s)%n", BLOBS, fillSeconds, BLOBS / fillSeconds);

        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).prefix("bench/").include("**/*.csv")
                .lateArrivalMargin(MARGIN).build();
        // Both sides use the same client (same pipeline and connection pool): only the detector's work differs.
        BlobContainerClient client = BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString());
        BlobChangeDetector detector = BlobChangeDetector.builder(client).build();
        WatchState state = detector.poll(watch, WatchState.empty()).nextState();
        WatchState steady = state;
        // The detector as it was before the summary of older blobs (late arrivals), on the same client.
        BlobChangeDetector withoutSummary = BlobChangeDetector.builder(client).lateArrivalSummary(false).build();
        WatchState steadyWithout = withoutSummary.poll(watch, WatchState.empty()).nextState();
        LongSupplier raw = () -> rawListing(client);
        LongSupplier poll = () -> detector.poll(watch, steady).stats().listed();
        LongSupplier pollWithout = () -> withoutSummary.poll(watch, steadyWithout).stats().listed();
        raw.getAsLong(); // warm-up
        poll.getAsLong();
        pollWithout.getAsLong();
        List<long[]> rawTimes = new ArrayList<>();
        List<long[]> pollTimes = new ArrayList<>();
        List<long[]> withoutTimes = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            // Rotating order, so no side always runs first after another's garbage
            switch (round % 3) {
                case 0 -> {
                    rawTimes.add(time(raw, BLOBS));
                    pollTimes.add(time(poll, BLOBS));
                    withoutTimes.add(time(pollWithout, BLOBS));
                }
                case 1 -> {
                    pollTimes.add(time(poll, BLOBS));
                    withoutTimes.add(time(pollWithout, BLOBS));
                    rawTimes.add(time(raw, BLOBS));
                }
                default -> {
                    withoutTimes.add(time(pollWithout, BLOBS));
                    rawTimes.add(time(raw, BLOBS));
                    pollTimes.add(time(poll, BLOBS));
                }
            }
        }
        System.out.printf("bench: summary of older blobs (late arrivals): detector poll with/without it, medians "
                        + "over %d rounds: wall %.0f/%.0f ms (ratio %.3f), calling-thread CPU %.0f/%.0f ms (ratio "
                        + "%.3f); state %d/%d bytes%n", ROUNDS, median(pollTimes, 0) / 1e6,
                median(withoutTimes, 0) / 1e6, (double) median(pollTimes, 0) / median(withoutTimes, 0),
                median(pollTimes, 1) / 1e6, median(withoutTimes, 1) / 1e6,
                (double) median(pollTimes, 1) / Math.max(1, median(withoutTimes, 1)),
                WatchStateCodec.encode(steady).length, WatchStateCodec.encode(steadyWithout).length);
        double rawMs = median(rawTimes, 0) / 1e6;
        double pollMs = median(pollTimes, 0) / 1e6;
        double rawCpuMs = median(rawTimes, 1) / 1e6;
        double pollCpuMs = median(pollTimes, 1) / 1e6;
        double ratio = pollMs / rawMs;
        System.out.printf("bench: %d blobs, %d rounds alternating: wall median raw SDK listing %.0f ms, detector poll "
                + "%.0f ms, ratio %.3f (target <= 1.10) %s%n", BLOBS, ROUNDS, rawMs, pollMs, ratio,
                ratio <= 1.10 ? "MET" : "MISSED");
        System.out.printf("bench: calling-thread CPU median (the SDK parses on its I/O threads, so this is mostly the "
                + "detector's own work): raw %.0f ms, poll %.0f ms%n", rawCpuMs,
                pollCpuMs);

        // Steady state: wait (polling, with a deadline) until the bulk fill has left the de-duplication window,
        // which spans the safety margin behind each sweep; only then do the 100-change polls start.
        long waitStart = System.nanoTime();
        long deadline = waitStart + MARGIN.plusMinutes(2).toNanos();
        while (!state.seen().isEmpty()) {
            assertThat(System.nanoTime()).as("fill did not leave the window").isLessThan(deadline);
            PollResult quiet = detector.poll(watch, state);
            assertThat(quiet.changes()).isEmpty();
            state = quiet.nextState();
        }
        System.out.printf("bench: waited %.0f s for the fill to leave the %d s window%n",
                (System.nanoTime() - waitStart) / 1e9, MARGIN.toSeconds());
        WatchStateStore store = new WatchStateStore(dir.resolve("state.json"));
        long maxStateBytes = 0;
        int next = BLOBS;
        for (int round = 0; round < ROUNDS; round++) {
            List<Integer> batch = new ArrayList<>();
            for (int i = 0; i < CHANGES_PER_POLL; i++) {
                batch.add(i % 2 == 0 ? next++ : (round * CHANGES_PER_POLL + i) % BLOBS);
            }
            Flux.fromIterable(batch).flatMap(i -> async.getBlobAsyncClient(name(i))
                    .upload(BinaryData.fromString("changed"), true), 32).blockLast();
            PollResult r = detector.poll(watch, state);
            assertThat(r.changes()).hasSize(CHANGES_PER_POLL);
            state = r.nextState();
            store.save(state);
            maxStateBytes = Math.max(maxStateBytes, Files.size(store.file()));
        }
        System.out.printf("bench: state after %d polls of %d changes each: max %d bytes (%.1f KiB, target < 64 KiB), "
                + "window %d entries, %.0f bytes per entry%n", ROUNDS, CHANGES_PER_POLL, maxStateBytes,
                maxStateBytes / 1024.0, state.seen().size(), (double) Files.size(store.file()) / state.seen().size());

        WatchState finalState = state;
        long rawHeap = peakHeapDuring(() -> rawListing(client));
        long pollHeap = peakHeapDuring(() -> detector.poll(watch, finalState).stats().listed());
        System.out.printf("bench: peak heap during one listing of %d blobs: raw SDK %.1f MiB, detector poll %.1f MiB "
                + "(max heap %.0f MiB)%n", BLOBS, rawHeap / 1048576.0, pollHeap / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        System.gc();
        long before = usedHeap();
        PollResult held = detector.poll(watch, finalState);
        System.gc();
        long retained = usedHeap() - before;
        System.out.printf("bench: heap still reachable after a poll of %d blobs (result and next state held): "
                + "%.1f KiB%n", held.stats().listed(), retained / 1024.0);
        assertThat(maxStateBytes).isLessThan(64 * 1024);
    }

    private static String name(int i) {
        return String.format("bench/d%03d/blob-%07d.csv", i % 100, i);
    }

    private static long rawListing(BlobContainerClient container) {
        long n = 0;
        for (PagedResponse<BlobItem> page : container.listBlobs(new ListBlobsOptions().setPrefix("bench/"), null,
                null).iterableByPage()) {
            n += page.getValue().size();
        }
        return n;
    }

    /** Wall and calling-thread CPU nanoseconds of one listing. */
    private static long[] time(LongSupplier listing, long atLeast) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long listed = listing.getAsLong();
        long elapsed = System.nanoTime() - start;
        long cpuElapsed = threads.getCurrentThreadCpuTime() - cpu;
        assertThat(listed).isGreaterThanOrEqualTo(atLeast);
        return new long[] {elapsed, cpuElapsed};
    }

    private static double median(List<long[]> values, int index) {
        List<Long> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v[index]));
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Peak heap use while the action runs, over a heap emptied by a GC first (an estimate, as all such figures). */
    private static long peakHeapDuring(LongSupplier action) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        action.getAsLong();
        return heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
