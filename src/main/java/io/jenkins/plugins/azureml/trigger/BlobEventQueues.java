package io.jenkins.plugins.azureml.trigger;

import com.azure.storage.blob.BlobContainerClient;
import hudson.AbortException;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.WatchStateStore;
import io.jenkins.plugins.azureml.blob.events.BlobEventConsumer;
import io.jenkins.plugins.azureml.blob.events.BlobEventCycle;
import io.jenkins.plugins.azureml.blob.events.EventCycleReport;
import io.jenkins.plugins.azureml.blob.events.EventQueueClientFactory;
import io.jenkins.plugins.azureml.blob.events.EventWatchTarget;
import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Push mode's consumers, owned by the trigger's descriptor: one {@link BlobEventConsumer} per event queue URL, shared
 * by every job whose trigger names it, started when the first such trigger starts and closed when the last one
 * stops; no thread runs while no job uses a queue. The consumer runs the engine's {@link BlobEventCycle} on a small
 * pool of its own and schedules through {@link BlobBuildScheduler}; each job's part of a cycle goes to its polling
 * log. All decisions are the engine's.
 */
final class BlobEventQueues {
    private static final Logger LOGGER = Logger.getLogger(BlobEventQueues.class.getName());
    /** How long shutdown waits for a cycle under way to finish. */
    private static final long SHUTDOWN_WAIT_SECONDS = 30;
    private static final int THREADS = Math.max(1,
            Integer.getInteger(BlobEventQueues.class.getName() + ".threads", 2));

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final Map<String, QueueListeners> queues = new HashMap<>();
    /** Guarded by {@link #lock}; null while no queue is used. */
    private ScheduledExecutorService executor;

    /** Called from {@link AzureBlobTrigger#start}: the job listens to its trigger's queue. */
    void register(AzureBlobTrigger trigger, Job<?, ?> job) {
        String url = trigger.getEventQueueUrl();
        synchronized (lock) {
            if (executor == null) {
                ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(THREADS,
                        new NamingThreadFactory(new DaemonThreadFactory(), "AzureBlobTrigger events"));
                pool.setRemoveOnCancelPolicy(true);
                // At shutdown only a cycle under way finishes; the next, delayed one does not start.
                pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                executor = pool;
            }
            QueueListeners q = queues.computeIfAbsent(url, QueueListeners::new);
            q.members.put(trigger, job);
            if (q.consumer == null) {
                q.consumer = q.start(trigger, job, executor);
            }
        }
    }

    /** Called from {@link AzureBlobTrigger#stop} (possibly more than once). */
    void unregister(AzureBlobTrigger trigger) {
        synchronized (lock) {
            queues.values().removeIf(q -> {
                q.members.remove(trigger);
                q.targets.remove(trigger);
                if (q.members.isEmpty()) {
                    if (q.consumer != null) {
                        q.consumer.close();
                    }
                    return true;
                }
                return false;
            });
            if (queues.isEmpty() && executor != null) {
                executor.shutdown(); // a cycle in progress finishes; its messages are deleted or come back
                executor = null;
            }
        }
    }

    /** A deleted job leaves every queue (its trigger is not always stopped first). */
    void forget(Job<?, ?> job) {
        List<AzureBlobTrigger> triggers = new ArrayList<>();
        synchronized (lock) {
            for (QueueListeners q : queues.values()) {
                q.members.forEach((t, j) -> {
                    if (j == job) {
                        triggers.add(t);
                    }
                });
            }
        }
        triggers.forEach(this::unregister);
    }

    /**
     * Jenkins shuts down (triggers are not stopped then): no consumer may outlive it. A cycle under way is let finish
     * (a cycle takes seconds): it may have scheduled builds, saved the state and deleted the messages, and Jenkins
     * persists its build queue only after this listener returns, so those builds are kept. Interrupting it instead
     * could let it schedule after the queue was persisted: a build lost while its change counts as fired.
     */
    void closeAll() {
        ScheduledExecutorService stopping;
        synchronized (lock) {
            for (QueueListeners q : queues.values()) {
                if (q.consumer != null) {
                    q.consumer.close();
                }
            }
            queues.clear();
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOGGER.warning("An Azure Blob event cycle did not finish within " + SHUTDOWN_WAIT_SECONDS
                        + " s of shutdown; its messages come back after their visibility timeout");
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a consumer runs for the queue (tests, the job page). */
    boolean isConsuming(String queueUrl) {
        synchronized (lock) {
            QueueListeners q = queues.get(queueUrl);
            return q != null && q.consumer != null;
        }
    }

    /** The jobs of one queue and their cached engine targets. */
    private static final class QueueListeners {
        private final String url;
        final ConcurrentMap<AzureBlobTrigger, Job<?, ?>> members = new ConcurrentHashMap<>();
        final ConcurrentMap<AzureBlobTrigger, EventWatchTarget> targets = new ConcurrentHashMap<>();
        final ConcurrentMap<String, List<String>> decisions = new ConcurrentHashMap<>();
        /** Set and read under the owner's lock. */
        BlobEventConsumer consumer;

        QueueListeners(String url) {
            this.url = url;
        }

        /** The consumer, reading the queue with the credential of the job that started it; null if that failed. */
        BlobEventConsumer start(AzureBlobTrigger trigger, Job<?, ?> job, ScheduledExecutorService executor) {
            EventQueueClientFactory.EventQueueClients clients;
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                clients = StorageCredentialResolver.connectQueue(trigger.getCredentialsId(), job,
                        EventQueueClientFactory.forQueueUrl(url).httpClient(HttpClientRetriever.get()));
            } catch (InvalidFieldException | AbortException e) {
                log(job, "Push mode not started: " + e.getMessage() + ". The listing on the schedule still fires "
                        + "every change.");
                return null;
            } catch (RuntimeException e) {
                log(job, "Push mode not started: the credential '" + trigger.getCredentialsId() + "' could not be "
                        + "used for the queue (" + e.getClass().getName() + ")");
                return null;
            }
            BlobEventConsumer c = new BlobEventConsumer(
                    BlobEventCycle.builder(clients.queue(), clients.poisonQueue()).build(), this::currentTargets,
                    executor, this::report, line -> LOGGER.log(Level.WARNING, line),
                    BlobEventConsumer.DEFAULT_IDLE_DELAY, BlobEventConsumer.DEFAULT_MAX_BACKOFF);
            c.start();
            return c;
        }

        /** On the consumer's thread, before each cycle: the jobs still listening, each with its own credential. */
        private List<EventWatchTarget> currentTargets() {
            List<EventWatchTarget> list = new ArrayList<>();
            try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
                for (Map.Entry<AzureBlobTrigger, Job<?, ?>> e : members.entrySet()) {
                    Job<?, ?> job = e.getValue();
                    if (Jenkins.get().getItemByFullName(job.getFullName(), Job.class) != job || !job.isBuildable()) {
                        continue; // deleted, renamed meanwhile or disabled
                    }
                    EventWatchTarget t = targets.get(e.getKey());
                    if (t == null) {
                        t = target(e.getKey(), job);
                        if (t == null) {
                            continue;
                        }
                        targets.put(e.getKey(), t);
                    }
                    list.add(t);
                }
            }
            return list;
        }

        private EventWatchTarget target(AzureBlobTrigger trigger, Job<?, ?> job) {
            BlobWatch watch;
            BlobContainerClient client;
            try {
                watch = trigger.toWatch();
                client = StorageCredentialResolver.connect(trigger.getCredentialsId(), job,
                        BlobContainerClientFactory.forWatch(watch).httpClient(HttpClientRetriever.get()));
            } catch (InvalidFieldException | AbortException e) {
                log(job, "Events of " + url + " not handled: " + e.getMessage());
                return null;
            }
            BlobPollCycle.Mode mode = trigger.getMode() == BlobTriggerMode.BATCH
                    ? BlobPollCycle.Mode.BATCH : BlobPollCycle.Mode.PER_BLOB;
            List<String> lines = decisions.computeIfAbsent(job.getFullName(),
                    k -> Collections.synchronizedList(new ArrayList<>()));
            // A scheduler per call: it reads the job's recent builds once, and they change between cycles.
            return new EventWatchTarget(job.getFullName(), watch, client,
                    new WatchStateStore(new BlobTriggerJobFiles(job).stateFile()), mode,
                    (changes, env) -> new BlobBuildScheduler(job, mode, lines::add).schedule(changes, env));
        }

        /** Appends each job's entry of a cycle, with its scheduling decisions, to its polling log. */
        private void report(EventCycleReport r) {
            for (Job<?, ?> job : members.values()) {
                PollEntry entry = r.jobLogs().get(job.getFullName());
                if (entry == null) {
                    continue;
                }
                List<String> lines = decisions.get(job.getFullName());
                List<String> decided = new ArrayList<>();
                if (lines != null) {
                    synchronized (lines) {
                        decided.addAll(lines);
                        lines.clear();
                    }
                }
                record(job, entry.withGlueFacts(0, decided));
            }
        }

        /** Why this queue's events cannot be handled for the job, as a failed events entry of its polling log. */
        private void log(Job<?, ?> job, String error) {
            record(job, PollEntry.events(Instant.now(), 0, url, List.of(), false, List.of(), error));
        }

        private static void record(Job<?, ?> job, PollEntry entry) {
            try {
                BlobTriggerPoll.history(job).append(entry);
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Cannot write the Azure Blob polling log of " + job.getFullName(), e);
            }
        }
    }
}
