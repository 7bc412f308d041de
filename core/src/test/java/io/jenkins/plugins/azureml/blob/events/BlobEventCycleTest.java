package io.jenkins.plugins.azureml.blob.events;

import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azureml.blob.log.PollEntryText;
import io.jenkins.plugins.azureml.blob.log.ReconciliationSummary;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobChangeDetector;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.ChangeScheduler;
import io.jenkins.plugins.azureml.blob.PollReport;
import io.jenkins.plugins.azureml.blob.StartPosition;
import io.jenkins.plugins.azureml.blob.WatchState;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The receive cycle on real Azurite blob and queue services, one behaviour per test. */
class BlobEventCycleTest {
    @RegisterExtension
    static final AzuriteExtension BLOBS = new AzuriteExtension();
    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();
    private static final AtomicInteger QUEUE_NAMES = new AtomicInteger();

    @TempDir
    Path dir;

    private BlobContainerClient container;
    private QueueClient queue;
    private QueueClient poison;
    private BlobWatch watch;
    private final List<String> scheduled = new ArrayList<>();

    @BeforeEach
    void setUp() {
        container = BLOBS.createContainer("events");
        String name = "events-" + QUEUE_NAMES.incrementAndGet();
        queue = QUEUES.queue(name, null);
        queue.create();
        poison = QUEUES.queue(name + "-poison", null);
        watch = BlobWatch.builder().accountUrl(BLOBS.blobEndpoint()).container(container.getBlobContainerName())
                .prefix("data/").lateArrivalMargin(Duration.ofSeconds(5)).build();
    }

    private EventWatchTarget target(String id, BlobWatch w, String stateFile, ChangeScheduler scheduler) {
        return new EventWatchTarget(id, w, container, new WatchStateStore(dir.resolve(stateFile)),
                BlobPollCycle.Mode.PER_BLOB, scheduler);
    }

    private EventWatchTarget target() {
        return target("job", watch, "state.json", (changes, env) -> changes.forEach(c -> scheduled.add(key(c))));
    }

    private static String key(BlobChange c) {
        return c.name() + "@" + c.etag();
    }

    private BlobEventCycle cycle() {
        return BlobEventCycle.builder(queue, poison).visibilityTimeout(Duration.ofSeconds(1)).maxDequeueCount(2)
                .build();
    }

    private void announce(EventGridFixture.Format format, String name, String etag, long size) {
        EventGridFixture.send(queue, EventGridFixture.message(format, container.getBlobClient(name).getBlobUrl(),
                container.getBlobContainerName(), name, etag, size, "PutBlob"));
    }

    private BlobPollCycle listing() {
        return new BlobPollCycle(BlobChangeDetector.builder(container).build(),
                new WatchStateStore(dir.resolve("state.json")), BlobPollCycle.Mode.PER_BLOB,
                (changes, env) -> changes.forEach(c -> scheduled.add(key(c)))).asReconciliation();
    }

    @Test
    void eachSchemaAndEncodingFiresOnceAndTheMessagesAreDeleted() {
        List<String> expected = new ArrayList<>();
        for (EventGridFixture.Format f : EventGridFixture.Format.values()) {
            String name = "data/" + f.name().toLowerCase() + ".csv";
            String etag = TestBlobs.upload(container, name, "content of " + f);
            announce(f, name, etag, 10);
            announce(f, name, etag, 10); // at-least-once delivery: a copy
            expected.add(name + "@" + etag);
        }
        EventCycleReport r = cycle().run(List.of(target()));
        assertThat(r.received()).isEqualTo(8);
        assertThat(r.count(EventOutcome.FIRED)).isEqualTo(4);
        assertThat(r.count(EventOutcome.DUPLICATE)).isEqualTo(4);
        assertThat(r.deleted()).isEqualTo(8);
        assertThat(scheduled).containsExactlyInAnyOrderElementsOf(expected);
        PollEntry log = r.jobLogs().get("job");
        assertThat(log.kind()).isEqualTo(PollEntry.Kind.EVENTS);
        assertThat(log.changes()).extracting(PollEntry.Change::name).contains("data/event_grid_base64.csv");
        assertThat(log.changeCount()).isEqualTo(4);
        assertThat(log.notes()).contains("8 message(s) received.", "Events: fired 4, duplicate 4");
        assertThat(PollEntryText.render(log)).contains("Events from queue " + queue.getQueueUrl(),
                "  data/event_grid_base64.csv  ETag ");
        assertThat(cycle().run(List.of(target())).received()).as("nothing left in the queue").isZero();
    }

    @Test
    void aStaleEventFiresNothingAndTheNewerVersionFiresOnce() {
        String old = TestBlobs.upload(container, "data/a.csv", "one");
        String newer = TestBlobs.upload(container, "data/a.csv", "two");
        announce(EventGridFixture.Format.EVENT_GRID_BASE64, "data/a.csv", newer, 3);
        announce(EventGridFixture.Format.EVENT_GRID_BASE64, "data/a.csv", old, 3); // late and out of order
        announce(EventGridFixture.Format.CLOUD_EVENTS_PLAIN, "data/gone.csv", "0x8D000", 3); // deleted blob
        EventCycleReport r = cycle().run(List.of(target()));
        assertThat(r.count(EventOutcome.STALE)).isEqualTo(2);
        assertThat(scheduled).containsExactly("data/a.csv@" + newer);
    }

    @Test
    void otherTypesMalformedUnwatchedAndEmptyBlobsAreRemovedAndCounted() {
        String empty = TestBlobs.upload(container, "data/placeholder.csv", "");
        announce(EventGridFixture.Format.EVENT_GRID_PLAIN, "data/placeholder.csv", empty, 0);
        String outside = TestBlobs.upload(container, "elsewhere/x.csv", "x");
        announce(EventGridFixture.Format.EVENT_GRID_PLAIN, "elsewhere/x.csv", outside, 1);
        EventGridFixture.send(queue, EventGridFixture.message(EventGridFixture.Format.CLOUD_EVENTS_BASE64,
                "Microsoft.Storage.BlobDeleted", container.getBlobClient("data/y").getBlobUrl(),
                container.getBlobContainerName(), "data/y", "0x1", 0, "DeleteBlob"));
        EventGridFixture.send(queue, "this is not an event");
        EventCycleReport r = cycle().run(List.of(target()));
        assertThat(r.received()).isEqualTo(4);
        assertThat(r.count(EventOutcome.EMPTY)).isEqualTo(1);
        assertThat(r.notWatched()).isEqualTo(1);
        assertThat(r.otherEvents()).isEqualTo(1);
        assertThat(r.malformed()).isEqualTo(1);
        assertThat(r.deleted()).isEqualTo(4);
        assertThat(scheduled).isEmpty();
        assertThat(PollEntryText.render(r.jobLogs().get("job"))).contains("Microsoft.Storage.BlobDeleted",
                "Removed a malformed message");
    }

    @Test
    void eventsAndTheListingFireEachVersionOnceAndTheListingCountsWhatItReconciled() {
        assertThat(listing().run(watch).succeeded()).as("baseline").isTrue();
        String a = TestBlobs.upload(container, "data/a.csv", "a");
        announce(EventGridFixture.Format.EVENT_GRID_BASE64, "data/a.csv", a, 1);
        assertThat(cycle().run(List.of(target())).count(EventOutcome.FIRED)).isEqualTo(1);
        String b = TestBlobs.upload(container, "data/b.csv", "b"); // its event is lost
        PollReport reconciliation = listing().run(watch);
        assertThat(reconciliation.reconciled()).isEqualTo(1);
        assertThat(reconciliation.text()).contains("Reconciled: 1 change(s)");
        assertThat(reconciliation.entry().kind()).isEqualTo(PollEntry.Kind.RECONCILIATION);
        assertThat(ReconciliationSummary.of(List.of(reconciliation.entry())))
                .hasValueSatisfying(summary -> assertThat(summary.last()).isEqualTo(1));
        announce(EventGridFixture.Format.CLOUD_EVENTS_BASE64, "data/b.csv", b, 1); // ... or only late
        EventCycleReport late = cycle().run(List.of(target()));
        assertThat(late.count(EventOutcome.DUPLICATE)).isEqualTo(1);
        assertThat(listing().run(watch).reconciled()).isZero();
        assertThat(scheduled).containsExactlyInAnyOrder("data/a.csv@" + a, "data/b.csv@" + b);
    }

    @Test
    void eventsBeforeTheFirstListingFireAndAreNotFiredAgainByIt() {
        String a = TestBlobs.upload(container, "data/a.csv", "a");
        announce(EventGridFixture.Format.EVENT_GRID_PLAIN, "data/a.csv", a, 1);
        announce(EventGridFixture.Format.EVENT_GRID_PLAIN, "data/a.csv", a, 1);
        EventCycleReport r = cycle().run(List.of(target()));
        assertThat(r.count(EventOutcome.FIRED)).isEqualTo(1);
        assertThat(r.count(EventOutcome.DUPLICATE)).isEqualTo(1);
        assertThat(listing().run(watch).changes()).as("the first listing is a baseline").isEmpty();
        announce(EventGridFixture.Format.EVENT_GRID_PLAIN, "data/a.csv", a, 1);
        assertThat(cycle().run(List.of(target())).count(EventOutcome.FIRED)).isZero();
        assertThat(scheduled).containsExactly("data/a.csv@" + a);
    }

    /**
     * Events fire before the first listing (push mode saves a pre-baseline state); then the controller restarts (every
     * object anew, only the state file carries over) and the first listing runs. It honours the start position and
     * fires nothing the events fired; the state it saves is a normal one that the next listing builds on.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"BEGINNING, PER_BLOB", "BEGINNING, BATCH", "NOW, PER_BLOB", "NOW, BATCH"})
    void eventsBeforeTheFirstListingAreHonouredByItWhateverTheStartPosition(StartPosition start,
            BlobPollCycle.Mode mode) throws Exception {
        String old = TestBlobs.upload(container, "data/old.csv", "there before the job");
        BlobWatch w = BlobWatch.builder().accountUrl(BLOBS.blobEndpoint()).container(container.getBlobContainerName())
                .prefix("data/").startPosition(start).lateArrivalMargin(Duration.ofSeconds(5)).build();
        ChangeScheduler record = (changes, env) -> changes.forEach(c -> scheduled.add(key(c)));
        String a = TestBlobs.upload(container, "data/a.csv", "a");
        announce(EventGridFixture.Format.EVENT_GRID_BASE64, "data/a.csv", a, 1);
        assertThat(cycle().run(List.of(new EventWatchTarget("job", w, container,
                new WatchStateStore(dir.resolve("state.json")), mode, record))).count(EventOutcome.FIRED)).isEqualTo(1);
        assertThat(new WatchStateStore(dir.resolve("state.json")).load()).get()
                .satisfies(state -> assertThat(state.isEmpty()).as("pre-baseline").isTrue());

        BlobPollCycle firstListing = new BlobPollCycle(BlobChangeDetector.builder(container).build(),
                new WatchStateStore(dir.resolve("state.json")), mode, record).asReconciliation();
        PollReport first = firstListing.run(w);
        assertThat(first.succeeded()).as(first.error()).isTrue();
        if (start == StartPosition.BEGINNING) {
            assertThat(scheduled).containsExactlyInAnyOrder("data/a.csv@" + a, "data/old.csv@" + old);
        } else {
            assertThat(scheduled).containsExactly("data/a.csv@" + a);
        }
        WatchState saved = new WatchStateStore(dir.resolve("state.json")).load().orElseThrow();
        assertThat(saved.isEmpty()).as("a normal state after the first listing").isFalse();
        assertThat(saved.windowStart()).isNotNull();

        String b = TestBlobs.upload(container, "data/b.csv", "b"); // its event is lost
        announce(EventGridFixture.Format.CLOUD_EVENTS_PLAIN, "data/a.csv", a, 1); // a copy, late
        assertThat(cycle().run(List.of(new EventWatchTarget("job", w, container,
                new WatchStateStore(dir.resolve("state.json")), mode, record))).count(EventOutcome.DUPLICATE))
                .isEqualTo(1);
        assertThat(firstListing.run(w).scheduled()).as("the next listing fires only the new blob").isEqualTo(1);
        assertThat(scheduled).filteredOn(k -> k.startsWith("data/b.csv")).containsExactly("data/b.csv@" + b);
        assertThat(scheduled).filteredOn(k -> k.startsWith("data/a.csv")).hasSize(1);
    }

    /**
     * Another controller's jobs watch other blobs of the same queue's subscription: this controller receives their
     * events. Once half or more of enough recent messages are unwatched, every job's polling log says so, once, and
     * the polling log page's summary shows it; a few unwatched messages among watched ones say nothing.
     */
    @Test
    void aQueueMostlyCarryingOtherControllersEventsIsReportedOncePerHour() {
        BlobEventCycle cycle = cycle();
        for (int i = 0; i < 5; i++) {
            String name = "data/ours-" + i + ".csv";
            announce(EventGridFixture.Format.EVENT_GRID_BASE64, name, TestBlobs.upload(container, name, "x"), 1);
        }
        for (int i = 0; i < 3; i++) {
            announce(EventGridFixture.Format.EVENT_GRID_BASE64, "staging/" + i + ".csv", "0x1", 1);
        }
        EventCycleReport few = cycle.run(List.of(target()));
        assertThat(few.jobLogs().get("job").warnings()).as("8 messages, 3 unwatched").isEmpty();

        List<PollEntry> log = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 16; i++) {
                announce(EventGridFixture.Format.CLOUD_EVENTS_BASE64, "staging/" + round + "-" + i + ".csv", "0x1", 1);
            }
            EventCycleReport r = cycle.run(List.of(target()));
            assertThat(r.received()).isEqualTo(16);
            assertThat(r.notWatched()).isEqualTo(16);
            if (r.jobLogs().containsKey("job")) {
                log.add(r.jobLogs().get("job"));
            }
        }
        List<String> warnings = log.stream().flatMap(e -> e.warnings().stream()).toList();
        assertThat(warnings).as("said once, not per batch").singleElement().asString()
                .startsWith("19 of the last 24 blob events received from queue " + queue.getQueueUrl())
                .contains("give each controller a queue of its own");
        assertThat(io.jenkins.plugins.azureml.blob.log.PollingLogView.of(log, java.time.ZoneOffset.UTC,
                java.time.Instant.now(), null, (c, n, e) -> null).getSummary().getPushMode())
                .contains("were about blobs that no job of this Jenkins controller watches");
    }

    @Test
    void aMessageThatKeepsFailingIsMovedToThePoisonQueueWhileOthersFlow() {
        AtomicInteger attempts = new AtomicInteger();
        EventWatchTarget broken = target("broken", BlobWatch.builder().accountUrl(BLOBS.blobEndpoint())
                .container(container.getBlobContainerName()).prefix("broken/").build(), "broken.json",
                (changes, env) -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("the job cannot be scheduled");
                });
        String bad = TestBlobs.upload(container, "broken/x.csv", "x");
        announce(EventGridFixture.Format.EVENT_GRID_BASE64, "broken/x.csv", bad, 1);
        String good = TestBlobs.upload(container, "data/ok.csv", "ok");
        announce(EventGridFixture.Format.EVENT_GRID_BASE64, "data/ok.csv", good, 2);
        BlobEventCycle cycle = cycle();
        int poisoned = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (poisoned == 0) {
            assertThat(System.nanoTime()).as("set aside within 30 s").isLessThan(deadline);
            EventCycleReport r = cycle.run(List.of(target(), broken));
            poisoned += r.poisoned();
            if (r.received() == 0) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // the message is invisible until its timeout
            }
        }
        assertThat(attempts.get()).as("tried maxDequeueCount times").isEqualTo(2);
        assertThat(scheduled).containsExactly("data/ok.csv@" + good);
        List<QueueMessageItem> aside = new ArrayList<>();
        poison.receiveMessages(32).forEach(aside::add);
        assertThat(aside).singleElement().satisfies(m -> assertThat(BlobEventDecoder.decode(m.getBody().toString())
                .events()).singleElement().satisfies(e -> assertThat(e.name()).isEqualTo("broken/x.csv")));
        assertThat(cycle.run(List.of(target(), broken)).received()).isZero();
    }

    @Test
    void aQueueOutageIsAnExceptionTheConsumerBacksOffFrom() {
        QueueClient missing = QUEUES.queue("no-such-queue", null);
        BlobEventCycle cycle = BlobEventCycle.builder(missing, poison).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cycle.run(List.of(target())))
                .isInstanceOf(BlobEventQueueException.class).hasMessageContaining("no-such-queue");
    }
}
