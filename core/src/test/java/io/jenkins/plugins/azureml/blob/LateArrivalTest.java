package io.jenkins.plugins.azureml.blob;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A single Put Blob that lasts long: Azure (and Azurite) stamp Last-Modified when the request starts, so the blob
 * appears in a listing with a Last-Modified older than sweeps that ran during the upload. The margin covers it, and
 * the detector says how late it was before it gets close to the margin.
 */
class LateArrivalTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final Duration MARGIN = Duration.ofSeconds(10);

    @Test
    void aSlowSingleUploadIsReportedAndHowLateItArrivedIsWarnedAbout() throws Exception {
        BlobContainerClient container = AZURITE.createContainer("slow-upload");
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).lateArrivalMargin(MARGIN).build();
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString())).build();
        WatchState state = detector.poll(watch, WatchState.empty()).nextState();

        byte[] data = new byte[4096];
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Instant before = Instant.now();
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> container.getBlobClient("slow.bin")
                .getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
                        new HeldStream(data, started, release), data.length), Duration.ofSeconds(60), Context.NONE));
        assertThat(started.await(30, TimeUnit.SECONDS)).as("upload request started").isTrue();

        // Sweeps run while the request is open; await (with a deadline) one that starts 6 s after the upload did.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            PollResult during = detector.poll(watch, state);
            assertThat(during.changes()).as("not visible before its commit").isEmpty();
            state = during.nextState();
            if (during.stats().sweepStart().isAfter(before.plusSeconds(6))) {
                break;
            }
            assertThat(System.nanoTime()).as("service time did not move on").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // the await's poll interval, not a sync
        }
        release.countDown();
        upload.get(30, TimeUnit.SECONDS);
        Instant lastModified = container.getBlobClient("slow.bin").getProperties().getLastModified().toInstant();
        assertThat(lastModified).as("stamped when the request started").isBefore(before.plusSeconds(2));

        PollResult late = detector.poll(watch, state);
        assertThat(late.changes()).extracting(BlobChange::name).containsExactly("slow.bin");
        assertThat(late.warnings()).singleElement().asString()
                .contains("'slow.bin'", "after its Last-Modified", "lateArrivalMargin (10 s)", "raise")
                .containsPattern("appeared in the listing [5-9] s or more");
        assertThat(detector.poll(watch, late.nextState()).warnings()).isEmpty();
    }

    /**
     * An upload far later than the margin (2 s margin, the upload held open until the window has moved 3 s past its
     * Last-Modified): the summary of older blobs finds it one poll later and reports it once, with how late it was,
     * while old blobs are deleted in the same sweep; the state goes through its saved form between polls (a restart)
     * and the listing pages hold one blob each.
     */
    @Test
    void anUploadLaterThanTheMarginIsFoundByTheSummaryOfOlderBlobsAndReportedOnce() throws Exception {
        Duration margin = Duration.ofSeconds(2);
        BlobContainerClient container = AZURITE.createContainer("later-than-margin");
        for (int i = 0; i < 5; i++) {
            container.getBlobClient("old-" + i + ".csv").upload(com.azure.core.util.BinaryData.fromString("o" + i));
        }
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).lateArrivalMargin(margin).build();
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString())).pageSize(1).build();
        WatchState state = restart(detector.poll(watch, WatchState.empty()).nextState());
        assertThat(state.summary()).as("the baseline saves a summary").isNotNull();

        byte[] data = new byte[4096];
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> container.getBlobClient("slow.bin")
                .getBlockBlobClient().uploadWithResponse(new BlockBlobSimpleUploadOptions(
                        new HeldStream(data, started, release), data.length), Duration.ofSeconds(60), Context.NONE));
        assertThat(started.await(30, TimeUnit.SECONDS)).as("upload request started").isTrue();
        Instant requestStarted = Instant.now();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!state.windowStart().isAfter(requestStarted.plusSeconds(3))) {
            assertThat(System.nanoTime()).as("the window moved past the upload").isLessThan(deadline);
            PollResult during = detector.poll(watch, state);
            assertThat(during.changes()).as("not visible before its commit").isEmpty();
            state = restart(during.nextState());
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // the await's poll interval, not a sync
        }
        container.getBlobClient("old-0.csv").delete();
        container.getBlobClient("old-1.csv").delete();
        release.countDown();
        upload.get(30, TimeUnit.SECONDS);
        Instant lastModified = container.getBlobClient("slow.bin").getProperties().getLastModified().toInstant();
        assertThat(lastModified).as("older than the window").isBefore(state.windowStart());

        PollResult found = detector.poll(watch, state);
        assertThat(found.changes()).extracting(BlobChange::name).containsExactly("slow.bin");
        assertThat(found.warnings()).anySatisfy(w -> assertThat(w).contains("'slow.bin'", "became listable",
                "later than lateArrivalMargin (2 s)", "summary of older blobs found it"));
        PollResult after = detector.poll(watch, restart(found.nextState()));
        assertThat(after.changes()).as("reported once").isEmpty();
        assertThat(after.warnings()).noneMatch(w -> w.contains("slow.bin"));
    }

    /** Many old blobs deleted at once: more differences than the summary tells apart, said with a count. */
    @Test
    void aMassDeletionOfOldBlobsIsSaidNotSilentlyIgnored() throws Exception {
        BlobContainerClient container = AZURITE.createContainer("mass-deletion");
        com.azure.storage.blob.BlobContainerAsyncClient async = new com.azure.storage.blob.BlobServiceClientBuilder()
                .connectionString(AZURITE.connectionString()).buildAsyncClient()
                .getBlobContainerAsyncClient(container.getBlobContainerName());
        int old = 2 * SettledSummary.DECODABLE + 200;
        reactor.core.publisher.Flux.range(0, old).flatMap(i -> async.getBlobAsyncClient("old/" + i + ".csv")
                .upload(com.azure.core.util.BinaryData.fromString("x"), true), 32).blockLast();
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).lateArrivalMargin(Duration.ofSeconds(2)).build();
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString())).build();
        LockSupport.parkNanos(Duration.ofSeconds(3).toNanos()); // let the blobs fall below the window: test setup
        WatchState state = detector.poll(watch, WatchState.empty()).nextState();
        reactor.core.publisher.Flux.range(0, old).flatMap(i -> async.getBlobAsyncClient("old/" + i + ".csv")
                .delete(), 32).blockLast();
        PollResult poll = detector.poll(watch, state);
        assertThat(poll.changes()).isEmpty();
        assertThat(poll.warnings()).anySatisfy(w -> assertThat(w).startsWith("At least ")
                .contains("appeared or disappeared since the last poll", "is not reported by this poll"));
        assertThat(detector.poll(watch, poll.nextState()).warnings()).as("the next poll compares again")
                .noneMatch(w -> w.startsWith("At least "));
    }

    private static WatchState restart(WatchState state) throws IOException {
        return WatchStateCodec.decode(WatchStateCodec.encode(state));
    }

    @Test
    void theMarginIsValidatedWithTheFieldName() {
        for (Duration bad : new Duration[] {Duration.ofSeconds(1), Duration.ofHours(25), Duration.ofSeconds(-5)}) {
            assertThatThrownBy(() -> BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container("c-margin")
                    .lateArrivalMargin(bad).build())
                    .isInstanceOf(InvalidFieldException.class).hasMessageContaining("lateArrivalMargin")
                    .hasMessageContaining("1 to 1440 minutes");
        }
        BlobWatch defaults = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container("c-margin").build();
        assertThat(defaults.lateArrivalMargin()).isEqualTo(Duration.ofMinutes(10));
        BlobWatch wider = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container("c-margin")
                .lateArrivalMargin(Duration.ofMinutes(30)).build();
        assertThat(wider.fingerprint()).as("a new margin keeps the baseline").isEqualTo(defaults.fingerprint());
    }

    /** Sends the first byte, then holds the rest of the body until released: a slow link, on demand. */
    private static final class HeldStream extends InputStream {
        private final byte[] data;
        private final CountDownLatch started;
        private final CountDownLatch release;
        private int position;
        private int marked;

        HeldStream(byte[] data, CountDownLatch started, CountDownLatch release) {
            this.data = data;
            this.started = started;
            this.release = release;
        }

        @Override
        public boolean markSupported() {
            return true; // the SDK marks the body so that a retry can resend it
        }

        @Override
        public synchronized void mark(int readLimit) {
            marked = position;
        }

        @Override
        public synchronized void reset() {
            position = marked;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= data.length) {
                return -1;
            }
            if (position > 0 && release.getCount() > 0) {
                started.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int n = position == 0 ? 1 : Math.min(len, data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
