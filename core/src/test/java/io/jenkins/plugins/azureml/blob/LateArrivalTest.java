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
