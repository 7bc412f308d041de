package io.jenkins.plugins.azureml.blob.events;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.log.PollEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One receive cycle of push mode, the queue's counterpart of {@code BlobPollCycle}: receive a batch of messages,
 * decode each ({@link BlobEventDecoder}), hand each BlobCreated event to every job whose watch covers it
 * ({@link WatchEventHandler}: decide with the job's state, schedule, save), and delete a message only when every such
 * job scheduled and saved. A crash before the delete makes the message reappear, and the state de-duplicates it.
 * Messages of other event types, malformed or unwatched ones are deleted and counted; a message received more than
 * {@link Builder#maxDequeueCount(int)} times is moved to the poison queue ({@code <queue>-poison}) and deleted, so
 * nothing is retried forever. Each job concerned gets one polling log entry per batch
 * ({@link PollEntry#events PollEntry.events}): the changes it fired, what happened to the rest.
 *
 * <p>One cycle at a time per queue (the consumer's loop); thread-safe against the jobs' reconciliation listings
 * through the state files' locks.
 */
public final class BlobEventCycle {
    /** Storage calls of one batch in flight at once: a receive brings at most 32 messages. */
    public static final int DEFAULT_PARALLELISM = 8;

    private final QueueClient queue;
    private final QueueClient poisonQueue;
    private final int batchSize;
    private final Duration visibilityTimeout;
    private final int maxDequeueCount;
    private final Clock clock;
    private final ParallelCalls calls;
    private boolean poisonQueueReady;
    /** Across this queue's cycles: whether another reader takes messages meant for this controller's jobs. */
    private final SharedQueueSignal sharedQueue = new SharedQueueSignal();

    private BlobEventCycle(Builder b) {
        this.clock = b.clock;
        this.queue = b.queue;
        this.poisonQueue = b.poisonQueue;
        this.batchSize = b.batchSize;
        this.visibilityTimeout = b.visibilityTimeout;
        this.maxDequeueCount = b.maxDequeueCount;
        this.calls = new ParallelCalls(b.parallelism);
    }

    /**
     * @param queue the queue Event Grid writes to (message encoding NONE: the cycle decodes Base64 itself)
     * @param poisonQueue where messages that keep failing go, normally {@code <queue>-poison}; created when needed
     * @return a builder
     */
    public static Builder builder(QueueClient queue, QueueClient poisonQueue) {
        return new Builder(queue, poisonQueue);
    }

    /**
     * Receives one batch and handles it.
     *
     * @param targets the jobs listening to this queue now
     * @return what was done
     * @throws BlobEventQueueException if the batch cannot be received; nothing was changed
     */
    public EventCycleReport run(List<EventWatchTarget> targets) {
        Instant started = clock.instant();
        List<QueueMessageItem> batch;
        try {
            batch = new ArrayList<>();
            queue.receiveMessages(batchSize, visibilityTimeout, null, Context.NONE).forEach(batch::add);
        } catch (RuntimeException e) {
            throw new BlobEventQueueException("Receiving from queue " + queue.getQueueUrl() + " failed: "
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
        }
        int otherEvents = 0;
        int malformed = 0;
        int notWatched = 0;
        int blobMessages = 0;
        int poisoned = 0;
        List<String> removed = new ArrayList<>();
        Map<Integer, QueueMessageItem> toDelete = new LinkedHashMap<>();
        Map<EventWatchTarget, List<WatchEventHandler.Item>> perTarget = new LinkedHashMap<>();
        for (int m = 0; m < batch.size(); m++) {
            QueueMessageItem item = batch.get(m);
            if (item.getDequeueCount() > maxDequeueCount) {
                if (setAside(item, removed)) {
                    poisoned++;
                }
                continue;
            }
            String text = item.getBody() == null ? "" : item.getBody().toString();
            DecodedMessage decoded = BlobEventDecoder.decode(text);
            switch (decoded.kind()) {
                case OTHER_EVENT -> {
                    otherEvents++;
                    removed.add("Removed a " + decoded.detail() + " event (message " + item.getMessageId() + ").");
                    toDelete.put(m, item);
                }
                case MALFORMED -> {
                    malformed++;
                    removed.add("Removed a malformed message " + item.getMessageId() + ": " + decoded.detail() + ".");
                    toDelete.put(m, item);
                }
                case BLOB_CREATED -> {
                    blobMessages++;
                    boolean watched = false;
                    for (BlobEvent event : decoded.events()) {
                        for (EventWatchTarget t : targets) {
                            if (t.covers(event)) {
                                perTarget.computeIfAbsent(t, k -> new ArrayList<>())
                                        .add(new WatchEventHandler.Item(m, event));
                                watched = true;
                            }
                        }
                    }
                    if (!watched) {
                        notWatched++;
                    }
                    toDelete.put(m, item);
                }
            }
        }
        Map<EventOutcome, Integer> outcomes = new EnumMap<>(EventOutcome.class);
        Map<String, List<BlobChange>> fired = new HashMap<>();
        Map<String, WatchEventHandler.Result> results = new HashMap<>();
        for (Map.Entry<EventWatchTarget, List<WatchEventHandler.Item>> e : perTarget.entrySet()) {
            WatchEventHandler.Result r = new WatchEventHandler(e.getKey(), calls).handle(e.getValue());
            r.counts().forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
            r.perMessage().forEach((message, outcome) -> {
                if (outcome == EventOutcome.FAILED) {
                    toDelete.remove(message);
                }
            });
            fired.put(e.getKey().id(), r.fired());
            results.put(e.getKey().id(), r);
        }
        long millis = Duration.between(started, clock.instant()).toMillis();
        sharedQueue.record(blobMessages - notWatched, notWatched);
        List<String> warnings = sharedQueue.warningToSay(queue.getQueueUrl(), started).map(List::of)
                .orElse(List.of());
        Map<String, PollEntry> jobLogs = new HashMap<>();
        for (EventWatchTarget t : targets) {
            WatchEventHandler.Result r = results.get(t.id());
            if (r == null && removed.isEmpty() && warnings.isEmpty()) {
                continue;
            }
            List<String> notes = new ArrayList<>();
            notes.add(batch.size() + " message(s) received.");
            notes.addAll(removed);
            List<PollEntry.Change> changes = List.of();
            String error = null;
            if (r != null) {
                notes.addAll(r.notes());
                changes = r.fired().stream().map(c -> new PollEntry.Change(c.container(), c.name(), c.etag(),
                        c.size(), c.lastModified())).toList();
                error = r.error();
            }
            jobLogs.put(t.id(), PollEntry.events(started, millis, queue.getQueueUrl(), changes,
                    t.mode() == BlobPollCycle.Mode.BATCH, notes, warnings, error));
        }
        int leftForRetry = batch.size() - poisoned - toDelete.size();
        int deleted = poisoned;
        List<ParallelCalls.Call<Boolean>> deletes = new ArrayList<>();
        for (QueueMessageItem item : toDelete.values()) {
            deletes.add(calls.start(() -> delete(item)));
        }
        for (ParallelCalls.Call<Boolean> d : deletes) {
            if (d.get()) {
                deleted++;
            }
        }
        return new EventCycleReport(batch.size(), otherEvents, malformed, notWatched, poisoned, deleted,
                leftForRetry, outcomes, fired, jobLogs);
    }

    /** Moves a message that keeps failing to the poison queue; false when that failed (it comes back). */
    private boolean setAside(QueueMessageItem item, List<String> removed) {
        try {
            if (!poisonQueueReady) {
                poisonQueue.createIfNotExists();
                poisonQueueReady = true;
            }
            poisonQueue.sendMessage(item.getBody());
            queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
            removed.add("Message " + item.getMessageId() + " failed " + (item.getDequeueCount() - 1)
                    + " times: moved to " + poisonQueue.getQueueName() + ".");
            return true;
        } catch (RuntimeException e) {
            removed.add("Moving message " + item.getMessageId() + " to " + poisonQueue.getQueueName() + " failed ("
                    + e.getClass().getSimpleName() + "); tried again when it comes back.");
            return false;
        }
    }

    /** Deletes a handled message; a failure only means it comes back and is de-duplicated then. */
    private boolean delete(QueueMessageItem item) {
        try {
            queue.deleteMessage(item.getMessageId(), item.getPopReceipt());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Configures a {@link BlobEventCycle}. */
    public static final class Builder {
        private final QueueClient queue;
        private final QueueClient poisonQueue;
        private int batchSize = 32;
        private Duration visibilityTimeout = Duration.ofSeconds(60);
        private int maxDequeueCount = 5;
        private Clock clock = Clock.systemUTC();
        private int parallelism = DEFAULT_PARALLELISM;

        private Builder(QueueClient queue, QueueClient poisonQueue) {
            this.queue = Objects.requireNonNull(queue, "queue");
            this.poisonQueue = Objects.requireNonNull(poisonQueue, "poisonQueue");
        }

        /** Messages per receive, 1-32 (the service's maximum); default 32. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 32) {
                throw new InvalidFieldException("batchSize", "must be between 1 and 32");
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How long a received message stays invisible to other receivers; a message that is not deleted (a job
         * failed it, or the controller died) comes back after it. Default 60 s; at least 1 s.
         */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            if (visibilityTimeout == null || visibilityTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidFieldException("visibilityTimeout", "must be at least 1 second");
            }
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** How many times a message may be received before it is set aside; default 5. */
        public Builder maxDequeueCount(int maxDequeueCount) {
            if (maxDequeueCount < 1) {
                throw new InvalidFieldException("maxDequeueCount", "must be at least 1");
            }
            this.maxDequeueCount = maxDequeueCount;
            return this;
        }

        /**
         * How many storage calls of one batch (blob property checks, message deletes) run at once; default
         * {@value BlobEventCycle#DEFAULT_PARALLELISM}, 1 for one after the other.
         */
        public Builder parallelism(int parallelism) {
            if (parallelism < 1 || parallelism > 64) {
                throw new InvalidFieldException("parallelism", "must be between 1 and 64");
            }
            this.parallelism = parallelism;
            return this;
        }

        /** The clock of the polling log entries' times; default the system's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public BlobEventCycle build() {
            return new BlobEventCycle(this);
        }
    }
}
