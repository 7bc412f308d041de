package io.jenkins.plugins.azureml.blob.events;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The receive loop through a queue outage: bounded back-off, logged, and nothing lost. */
class BlobEventConsumerTest {
    @RegisterExtension
    static final AzuriteExtension BLOBS = new AzuriteExtension();
    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();

    @TempDir
    Path dir;

    @Test
    void aQueueOutageBacksOffBoundedIsLoggedAndLosesNothing() throws Exception {
        BlobContainerClient container = BLOBS.createContainer("consumer");
        RequestRetryOptions quick = new RequestRetryOptions(RetryPolicyType.FIXED, 1, 5, 50L, 50L, null);
        QueueClient queue = QUEUES.queue("consumer-events", quick);
        queue.create();
        BlobWatch watch = BlobWatch.builder().accountUrl(BLOBS.blobEndpoint())
                .container(container.getBlobContainerName()).build();
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        EventWatchTarget target = new EventWatchTarget("job", watch, container,
                new WatchStateStore(dir.resolve("state.json")), BlobPollCycle.Mode.PER_BLOB,
                (changes, env) -> changes.forEach(c -> fired.add(c.name())));
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
        BlobEventConsumer consumer = new BlobEventConsumer(BlobEventCycle.builder(queue,
                QUEUES.queue("consumer-events-poison", quick)).build(), () -> List.of(target), thread, r -> { },
                log::add, Duration.ofMillis(50), Duration.ofMillis(400));
        try {
            consumer.start();
            announce(container, queue, "before.csv");
            await(() -> fired.contains("before.csv"), "the first event");
            QUEUES.stop();
            await(() -> consumer.consecutiveFailures() >= 5, "five failed receives");
            QUEUES.start();
            await(() -> consumer.consecutiveFailures() == 0, "the queue to be reachable again");
            announce(container, queue, "after.csv");
            await(() -> fired.contains("after.csv"), "the event after the outage");
        } finally {
            consumer.close();
            thread.shutdown();
            assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(fired).containsExactly("before.csv", "after.csv");
        List<Long> waits = new ArrayList<>();
        Pattern next = Pattern.compile("next try in (\\d+) ms");
        synchronized (log) {
            for (String line : log) {
                Matcher m = next.matcher(line);
                if (m.find()) {
                    waits.add(Long.parseLong(m.group(1)));
                }
            }
        }
        Matcher again = Pattern.compile("reachable again after (\\d+) failed").matcher(String.join("\n", log));
        assertThat(again.find()).as("the end of the outage is logged").isTrue();
        int failures = Integer.parseInt(again.group(1));
        assertThat(failures).isGreaterThanOrEqualTo(5);
        assertThat(waits).as("failures 1, 2, 4, 8... are logged, not every one")
                .hasSize(Integer.SIZE - Integer.numberOfLeadingZeros(failures));
        assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(400));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("consumer-events").contains("failed"));
        assertThat(log).last().asString().contains("reachable again");
    }

    private static void announce(BlobContainerClient container, QueueClient queue, String name) {
        String etag = TestBlobs.upload(container, name, "x");
        EventGridFixture.send(queue, EventGridFixture.message(EventGridFixture.Format.CLOUD_EVENTS_BASE64,
                container.getBlobClient(name).getBlobUrl(), container.getBlobContainerName(), name, etag, 1,
                "PutBlob"));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // re-check interval, not a synchronisation
        }
    }
}
