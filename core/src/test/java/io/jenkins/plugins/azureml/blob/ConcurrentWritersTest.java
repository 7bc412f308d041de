package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.BlobContainerClient;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jenkins.plugins.azureml.blob.testing.TestBlobs.upload;
import static org.assertj.core.api.Assertions.assertThat;

/** Writers race the poller; every (name, ETag) a listing could see is reported exactly once. */
class ConcurrentWritersTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @TempDir
    Path dir;

    /** One committed version of a blob, with when (locally) it was surely visible and surely replaced. */
    private record Version(String name, String etag, long committedNanos, long[] supersededNanos) {
    }

    private record Sweep(long startNanos, long endNanos) {
    }

    @Test
    void writersAndBackToBackPollsMissNothingAndRepeatNothing() throws Exception {
        BlobContainerClient container = AZURITE.createContainer("race");
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).lateArrivalMargin(Duration.ofSeconds(3)).build();
        WatchStateStore store = new WatchStateStore(dir.resolve("state.json"));
        upload(container, "w0/pre-existing", "baseline");
        store.save(newDetector(watch).poll(watch, WatchState.empty()).nextState());

        int writers = 3;
        int opsPerWriter = 250;
        ConcurrentLinkedQueue<Version> versions = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> write(container, writer, opsPerWriter, versions)));
        }
        Map<String, Integer> reported = new HashMap<>();
        List<Sweep> sweeps = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int polls = 0;
        while (running.stream().anyMatch(f -> !f.isDone())) {
            assertThat(System.nanoTime()).as("writers did not finish in 90 s").isLessThan(deadline);
            sweeps.add(pollOnce(watch, store, reported));
            polls++;
        }
        for (Future<?> f : running) {
            f.get(); // surfaces a writer's failure
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        sweeps.add(pollOnce(watch, store, reported)); // the quiet poll: all writes are committed
        int quietChanges = reported.values().stream().mapToInt(Integer::intValue).sum();
        pollOnce(watch, store, reported);
        assertThat(reported.values().stream().mapToInt(Integer::intValue).sum())
                .as("a further poll reports nothing").isEqualTo(quietChanges);

        long mustReport = 0;
        long missed = 0;
        long unobservable = 0;
        for (Version v : versions) {
            boolean listable = sweeps.stream().anyMatch(s -> v.committedNanos < s.startNanos
                    && (v.supersededNanos[0] == 0 || v.supersededNanos[0] > s.endNanos));
            String key = v.name + "@" + v.etag;
            if (listable) {
                mustReport++;
                if (!reported.containsKey(key)) {
                    missed++;
                }
            } else if (!reported.containsKey(key)) {
                unobservable++;
            }
        }
        long duplicates = reported.values().stream().filter(n -> n > 1).count();
        long unknown = reported.keySet().stream()
                .filter(k -> versions.stream().noneMatch(v -> (v.name + "@" + v.etag).equals(k))).count();
        System.out.printf("concurrency: %d commits by %d writers, %d polls, %d had to be reported, %d reported, "
                + "%d missed, %d duplicates, %d replaced before any listing could see them, %d unknown%n",
                versions.size(), writers, polls + 2, mustReport, reported.size(), missed, duplicates, unobservable,
                unknown);
        assertThat(missed).isZero();
        assertThat(duplicates).isZero();
        assertThat(unknown).isZero();
        assertThat(mustReport).isGreaterThan(versions.size() / 2);
    }

    /** Each poll uses a new detector and the state file, as after a controller restart. */
    private Sweep pollOnce(BlobWatch watch, WatchStateStore store, Map<String, Integer> reported) throws Exception {
        long start = System.nanoTime();
        PollResult r = newDetector(watch).poll(watch, store.load().orElseThrow());
        long end = System.nanoTime();
        for (BlobChange c : r.changes()) {
            reported.merge(c.name() + "@" + c.etag(), 1, Integer::sum);
        }
        store.save(r.nextState());
        return new Sweep(start, end);
    }

    private static BlobChangeDetector newDetector(BlobWatch watch) {
        return BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString())).pageSize(40).build();
    }

    private static void write(BlobContainerClient container, int writer, int ops, ConcurrentLinkedQueue<Version> out) {
        Random random = new Random(writer);
        List<Version> latest = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            boolean overwrite = !latest.isEmpty() && random.nextInt(10) < 4;
            int slot = overwrite ? random.nextInt(latest.size()) : latest.size();
            String name = overwrite ? latest.get(slot).name : "w" + writer + "/" + String.format("%04d", i) + ".csv";
            if (overwrite) {
                latest.get(slot).supersededNanos[0] = System.nanoTime();
            }
            String etag = upload(container, name, random.nextBoolean() ? "same" : "content " + i);
            Version v = new Version(name, etag, System.nanoTime(), new long[1]);
            out.add(v);
            if (overwrite) {
                latest.set(slot, v);
            } else {
                latest.add(v);
            }
        }
    }
}
