package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.BlobContainerClient;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.DateRewritingHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import static io.jenkins.plugins.azureml.blob.testing.TestBlobs.upload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clock that lies (a front end's Date header, the controller's clock, a state file from elsewhere) must never make
 * the watch skip the changes that follow. Real Azurite; the Date header is rewritten by the HTTP client in front.
 */
class ClockSkewTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final Duration HOUR = Duration.ofHours(1);

    private BlobWatch watch(BlobContainerClient container) {
        return BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container(container.getBlobContainerName())
                .build();
    }

    private static BlobChangeDetector detector(BlobWatch watch, DateRewritingHttpClient http, Clock clock) {
        return BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch).httpClient(http)
                .withConnectionString(AZURITE.connectionString())).clock(clock).build();
    }

    private static List<String> names(PollResult r) {
        return r.changes().stream().map(BlobChange::name).toList();
    }

    @Test
    void aListingDateAnHourAheadIsNotSavedAsTheWindow() {
        BlobContainerClient container = AZURITE.createContainer("date-ahead");
        BlobWatch watch = watch(container);
        DateRewritingHttpClient http = new DateRewritingHttpClient();
        BlobChangeDetector detector = detector(watch, http, Clock.systemUTC());
        WatchState state = detector.poll(watch, WatchState.empty()).nextState();

        http.shiftListingDates(HOUR);
        PollResult skewed = detector.poll(watch, state);
        http.shiftListingDates(null);
        assertThat(skewed.nextState().windowStart()).as("window never taken from the skewed Date")
                .isBefore(Instant.now());
        assertThat(skewed.warnings()).singleElement().asString()
                .contains("Date", "ahead", "60 minutes", "earlier");

        upload(container, "after-skew.csv", "x");
        PollResult next = detector.poll(watch, skewed.nextState());
        assertThat(names(next)).containsExactly("after-skew.csv");
        assertThat(next.warnings()).isEmpty();
    }

    @Test
    void aControllerClockAnHourAheadIsNotSavedAsTheWindow() {
        BlobContainerClient container = AZURITE.createContainer("controller-ahead");
        BlobWatch watch = watch(container);
        BlobChangeDetector ahead = detector(watch, new DateRewritingHttpClient(),
                Clock.offset(Clock.systemUTC(), HOUR));
        PollResult first = ahead.poll(watch, WatchState.empty());
        assertThat(first.nextState().windowStart()).isBefore(Instant.now());
        assertThat(first.warnings()).singleElement().asString().contains("controller", "60 minutes");

        upload(container, "a.csv", "x");
        assertThat(names(ahead.poll(watch, first.nextState()))).containsExactly("a.csv");
    }

    @Test
    void withoutADateAControllerAheadPoisonsOneStateWhichTheNextDatedListingRecovers() {
        BlobContainerClient container = AZURITE.createContainer("no-date");
        BlobWatch watch = watch(container);
        DateRewritingHttpClient http = new DateRewritingHttpClient();
        BlobChangeDetector ahead = detector(watch, http, Clock.offset(Clock.systemUTC(), HOUR));
        http.dropListingDates();
        PollResult undated = ahead.poll(watch, WatchState.empty());
        assertThat(undated.warnings()).singleElement().asString().contains("no Date header", "controller's clock");

        upload(container, "meanwhile.csv", "x");
        http.shiftListingDates(null);
        PollResult recovered = ahead.poll(watch, undated.nextState());
        assertThat(names(recovered)).containsExactly("meanwhile.csv");
        assertThat(String.join("\n", recovered.warnings())).contains("future", "recover");
        assertThat(recovered.nextState().windowStart()).isBefore(Instant.now());
        assertThat(ahead.poll(watch, recovered.nextState()).changes()).isEmpty();
    }

    /**
     * The state an older version saved after a listing with a Date an hour ahead: window and cursor in the future,
     * nothing seen. The poll reports the blobs changed meanwhile, not the whole container, and says so in the log.
     */
    @Test
    void aStateFileFromTheFutureIsReportedAndRecoveredWithoutFiringTheWholeContainer(@TempDir Path dir)
            throws Exception {
        BlobContainerClient container = AZURITE.createContainer("future-state");
        BlobWatch watch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName()).lateArrivalMargin(Duration.ofSeconds(2)).build();
        BlobChangeDetector detector = detector(watch, new DateRewritingHttpClient(), Clock.systemUTC());
        upload(container, "old.csv", "x");
        PollResult baseline = detector.poll(watch, WatchState.empty());
        Instant oldModified = container.getBlobClient("old.csv").getProperties().getLastModified().toInstant();
        awaitServiceTimePast(detector, watch, baseline.nextState(), oldModified.plusSeconds(14));

        upload(container, "new-1.csv", "x");
        upload(container, "new-2.csv", "x");
        Instant now = Instant.now();
        WatchState fromTheFuture = new WatchState(watch.fingerprint(), now.plusSeconds(8), now.plusSeconds(6),
                Set.of());
        WatchStateStore store = new WatchStateStore(dir.resolve("state.json"));
        store.save(fromTheFuture);
        List<List<BlobChange>> scheduled = new ArrayList<>();
        PollReport report = new BlobPollCycle(detector, store, BlobPollCycle.Mode.PER_BLOB,
                (changes, env) -> scheduled.add(changes)).run(watch);

        assertThat(report.succeeded()).isTrue();
        assertThat(report.changes()).extracting(BlobChange::name).containsExactlyInAnyOrder("new-1.csv", "new-2.csv");
        assertThat(report.text()).contains("WARNING", "future");
        assertThat(report.warnings()).isNotEmpty();
        WatchState saved = store.load().orElseThrow();
        assertThat(saved.windowStart()).isBefore(now);
        PollReport again = new BlobPollCycle(detector, store, BlobPollCycle.Mode.PER_BLOB,
                (changes, env) -> scheduled.add(changes)).run(watch);
        assertThat(again.changes()).isEmpty();
        assertThat(again.warnings()).isEmpty();
        assertThat(scheduled).hasSize(2);
    }

    /** Polls (an await with a deadline) until the service's sweep start is past the given time. */
    private static void awaitServiceTimePast(BlobChangeDetector detector, BlobWatch watch, WatchState state,
            Instant time) {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        WatchState s = state;
        while (true) {
            PollResult r = detector.poll(watch, s);
            if (r.stats().sweepStart().isAfter(time)) {
                return;
            }
            assertThat(System.nanoTime()).as("service time did not pass %s in time", time).isLessThan(deadline);
            s = r.nextState();
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // the await's poll interval, not a sync
        }
    }
}
