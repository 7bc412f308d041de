package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import io.jenkins.plugins.azureml.blob.events.EventGridFixture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays Event Grid for {@link ChaosPushTest}: after each commit of the writers it queues the BlobCreated message a
 * storage-queue subscription would write, in a random schema and encoding, with Event Grid's faults: a share of
 * events dropped (a broken subscription), copies (at-least-once delivery), random delays (so order is lost), and
 * foreign messages (other event types, garbage) now and then. Sending retries while the queue service is down, as
 * Event Grid retries delivery.
 */
final class EventGridPlayer implements AutoCloseable {
    private record Pending(String text, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Pending) o).dueNanos);
        }
    }

    private final BlobContainerClient container;
    private final QueueClient queue;
    private final int dropPercent;
    private final Duration maxDelay;
    private final Random random = new Random(42);
    private final DelayQueue<Pending> pending = new DelayQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closing;
    final Set<String> dropped = ConcurrentHashMap.newKeySet();
    final AtomicInteger announced = new AtomicInteger();
    final AtomicInteger copies = new AtomicInteger();
    final AtomicInteger foreign = new AtomicInteger();
    final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger sendRetries = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong sendNanos = new java.util.concurrent.atomic.AtomicLong();

    EventGridPlayer(BlobContainerClient container, QueueClient queue, int dropPercent, Duration maxDelay) {
        this.container = container;
        this.queue = queue;
        this.dropPercent = dropPercent;
        this.maxDelay = maxDelay;
        for (int i = 0; i < 4; i++) { // Event Grid delivers in parallel
            Thread t = new Thread(this::send, "event-grid-player-" + i);
            t.setDaemon(true);
            t.start();
            senders.add(t);
        }
    }

    /** Called by the writers after each commit. */
    synchronized void committed(ChaosWriters.Version v) {
        if (random.nextInt(100) < dropPercent) {
            dropped.add(v.key());
            return;
        }
        EventGridFixture.Format format = EventGridFixture.Format.values()[random.nextInt(4)];
        String text = EventGridFixture.message(format, container.getBlobClient(v.name()).getBlobUrl(),
                container.getBlobContainerName(), v.name(), v.etag(), v.size(),
                random.nextBoolean() ? "PutBlob" : "PutBlockList");
        announced.incrementAndGet();
        later(text);
        if (random.nextInt(10) == 0) {
            copies.incrementAndGet();
            later(text);
        }
        if (random.nextInt(40) == 0) {
            foreign.incrementAndGet();
            later(random.nextBoolean() ? "not an event: " + random.nextInt()
                    : EventGridFixture.message(EventGridFixture.Format.CLOUD_EVENTS_BASE64,
                            "Microsoft.Storage.BlobDeleted", container.getBlobClient(v.name()).getBlobUrl(),
                            container.getBlobContainerName(), v.name(), v.etag(), 0, "DeleteBlob"));
        }
    }

    /** Queues a message as Event Grid would (used for the broken job's poison message too). */
    void later(String text) {
        queued.incrementAndGet();
        long delay = maxDelay.isZero() ? 0 : (long) (random.nextDouble() * maxDelay.toNanos());
        pending.add(new Pending(text, System.nanoTime() + delay));
    }

    /** Whether every message was delivered to the queue. */
    boolean drained() {
        return sent.get() == queued.get();
    }

    private void send() {
        while (!closing) {
            Pending p;
            try {
                p = pending.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p == null) {
                continue;
            }
            while (!closing) {
                try {
                    long t0 = System.nanoTime();
                    EventGridFixture.send(queue, p.text());
                    sendNanos.addAndGet(System.nanoTime() - t0);
                    sent.incrementAndGet();
                    break;
                } catch (RuntimeException e) {
                    sendRetries.incrementAndGet(); // the queue is down: retry, as Event Grid does
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        for (Thread t : senders) {
            t.join(10_000);
        }
    }
}
