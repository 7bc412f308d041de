package io.jenkins.plugins.azureml.blob.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push mode on accounts with a hierarchical namespace (Data Lake Storage Gen2) and flat ones, fed the messages in the
 * shapes Azure documents (both schemas), on real Azurite blob and queue services. Azurite has no Data Lake endpoint:
 * each blob is written through the Blob API in the state the Data Lake operation leaves it, and the event is the one
 * the Data Lake API would send, its URLs on the account's {@code dfs.} host.
 */
class DataLakeEventsTest {
    @RegisterExtension
    static final AzuriteExtension BLOBS = new AzuriteExtension();
    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();
    private static final AtomicInteger QUEUE_NAMES = new AtomicInteger();

    @TempDir
    Path dir;

    private BlobContainerClient container;
    private QueueClient queue;
    private BlobWatch watch;
    private final List<String> scheduled = new ArrayList<>();

    @BeforeEach
    void setUp() {
        container = BLOBS.createContainer("hns");
        String name = "hns-" + QUEUE_NAMES.incrementAndGet();
        queue = QUEUES.queue(name, null);
        queue.create();
        watch = BlobWatch.builder().accountUrl(BLOBS.blobEndpoint()).container(container.getBlobContainerName())
                .prefix("data/").lateArrivalMargin(Duration.ofSeconds(5)).build();
    }

    private void send(String sample, String account, String name, String etag, long length) {
        Map<String, String> values = new HashMap<>();
        values.put("account", account);
        values.put("container", container.getBlobContainerName());
        values.put("name", name);
        values.put("source", "staging/" + name);
        values.put("etag", etag);
        values.put("length", Long.toString(length));
        EventGridFixture.send(queue, EventGridSamples.message(sample, values));
    }

    private EventCycleReport receive() {
        EventWatchTarget target = new EventWatchTarget("job", watch, container,
                new WatchStateStore(dir.resolve("state.json")), BlobPollCycle.Mode.PER_BLOB,
                (changes, env) -> changes.forEach(c -> scheduled.add(key(c))));
        return BlobEventCycle.builder(queue, QUEUES.queue(queue.getQueueName() + "-poison", null))
                .visibilityTimeout(Duration.ofSeconds(1)).maxDequeueCount(2).build().run(List.of(target));
    }

    private static String key(BlobChange c) {
        return c.name() + "@" + c.etag();
    }

    @Test
    void createFileThenFlushWithCloseFiresOnceWithTheContentInEitherSchema() {
        String etag = TestBlobs.upload(container, "data/2026/day1.csv", "a,b\n1,2\n");
        send("hns-create-file.eventgrid.json", AzuriteExtension.ACCOUNT, "data/2026/day1.csv", "0x8D000000000CAFE",
                0);
        send("hns-flush-with-close.eventgrid.json", AzuriteExtension.ACCOUNT, "data/2026/day1.csv", etag, 8);
        send("hns-flush-with-close.cloudevents.json", AzuriteExtension.ACCOUNT, "data/2026/day1.csv", etag, 8);
        EventCycleReport r = receive();
        assertThat(r.count(EventOutcome.EMPTY)).as("CreateFile: an empty file").isEqualTo(1);
        assertThat(r.count(EventOutcome.FIRED)).isEqualTo(1);
        assertThat(r.count(EventOutcome.DUPLICATE)).isEqualTo(1);
        assertThat(r.notWatched()).isZero();
        assertThat(scheduled).containsExactly("data/2026/day1.csv@" + etag);
        assertThat(r.fired().get("job")).singleElement().satisfies(c -> assertThat(c.url())
                .as("the readable blob URL, as a listing gives it").isEqualTo(container.getBlobContainerUrl()
                        + "/data/2026/day1.csv"));
    }

    @Test
    void aFlatAccountsDocumentedEventFiresOnce() {
        String etag = TestBlobs.upload(container, "data/flat.csv", "x");
        send("flat-put-block-list.eventgrid.json", AzuriteExtension.ACCOUNT, "data/flat.csv", etag, 1);
        send("flat-put-block-list.cloudevents.json", AzuriteExtension.ACCOUNT, "data/flat.csv", etag, 1);
        EventCycleReport r = receive();
        assertThat(r.count(EventOutcome.FIRED)).isEqualTo(1);
        assertThat(r.count(EventOutcome.DUPLICATE)).isEqualTo(1);
        assertThat(scheduled).containsExactly("data/flat.csv@" + etag);
    }

    @Test
    void aRenameToAWatchedNameFiresOnceAndARenameAwayFiresNothing() {
        String etag = TestBlobs.upload(container, "data/renamed.csv", "renamed content");
        send("hns-rename-file.eventgrid.json", AzuriteExtension.ACCOUNT, "data/renamed.csv", "", 0);
        send("hns-rename-file.cloudevents.json", AzuriteExtension.ACCOUNT, "data/renamed.csv", "", 0);
        TestBlobs.upload(container, "archive/renamed-away.csv", "moved out");
        send("hns-rename-file.eventgrid.json", AzuriteExtension.ACCOUNT, "archive/renamed-away.csv", "", 0);
        EventCycleReport r = receive();
        assertThat(r.count(EventOutcome.FIRED)).isEqualTo(1);
        assertThat(r.count(EventOutcome.DUPLICATE)).as("the copy in the other schema").isEqualTo(1);
        assertThat(r.notWatched()).as("renamed out of data/").isEqualTo(1);
        assertThat(scheduled).containsExactly("data/renamed.csv@" + etag);
    }

    @Test
    void anotherAccountsEventsAreNotWatchedEvenWithTheSameContainerAndName() {
        String etag = TestBlobs.upload(container, "data/same-name.csv", "ours");
        send("hns-flush-with-close.eventgrid.json", "otheraccount", "data/same-name.csv", etag, 4);
        send("flat-put-block-list.cloudevents.json", "otheraccount", "data/same-name.csv", etag, 4);
        EventCycleReport r = receive();
        assertThat(r.notWatched()).isEqualTo(2);
        assertThat(scheduled).isEmpty();
    }
}
