package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Job;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs blob polls off the cron thread: at most one poll per job at a time, on a small pool of its own.
 *
 * <p>A dedicated pool rather than {@code jenkins.util.Timer}: a listing can take minutes (large containers, storage
 * retries with back-off, an unreachable account), and Timer's 10 threads are shared by all of Jenkins. The pool is
 * bounded in threads, and its queue is bounded by the number of jobs because a job with a poll pending or running
 * gets no second one: that tick is skipped and counted, and the next poll reports the count in its log.
 */
final class BlobPollExecutor {
    private static final Logger LOGGER = Logger.getLogger(BlobPollExecutor.class.getName());
    private static final int THREADS = Math.max(1,
            Integer.getInteger(BlobPollExecutor.class.getName() + ".threads", 2));

    /** Idle threads end after a minute, so a pool whose descriptor is gone (a restart in tests) leaves nothing. */
    private final ThreadPoolExecutor threads = newPool();
    /** Keyed on the job object, not the trigger: a configuration save replaces the trigger, not the job. */
    private final ConcurrentMap<Job<?, ?>, PollTask> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<Job<?, ?>, AtomicInteger> skippedTicks = new ConcurrentHashMap<>();

    private static ThreadPoolExecutor newPool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamingThreadFactory(new DaemonThreadFactory(), "AzureBlobTrigger poll"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Submits a poll unless one for the same job is pending or running.
     *
     * @param job the job
     * @param poll the poll; receives the number of ticks skipped since the previous poll started
     * @return the poll's future, or null if the tick was skipped
     */
    @CheckForNull
    Future<?> submit(Job<?, ?> job, IntConsumer poll) {
        PollTask task = new PollTask(job, pending, () -> {
            AtomicInteger skipped = skippedTicks.remove(job);
            poll.accept(skipped == null ? 0 : skipped.get());
        });
        if (pending.putIfAbsent(job, task) != null) {
            skippedTicks.computeIfAbsent(job, j -> new AtomicInteger()).incrementAndGet();
            LOGGER.log(Level.FINE, "Skipping an Azure Blob poll of {0}: the previous one is still running",
                    job.getFullName());
            return null;
        }
        try {
            threads.execute(task);
        } catch (RejectedExecutionException e) {
            pending.remove(job, task);
            LOGGER.log(Level.WARNING, "Cannot start an Azure Blob poll of " + job.getFullName(), e);
            return null;
        }
        return task;
    }

    /** Drops a deleted job: cancels its pending or running poll and forgets its counters. */
    void forget(Job<?, ?> job) {
        PollTask task = pending.remove(job);
        if (task != null) {
            task.cancel(true);
        }
        skippedTicks.remove(job);
    }

    /** Whether a poll of the job is pending or running. */
    boolean isPolling(Job<?, ?> job) {
        return pending.containsKey(job);
    }

    /** A poll that unregisters its job when it ends, however it ends. */
    private static final class PollTask extends FutureTask<Void> {
        private final Job<?, ?> job;
        private final ConcurrentMap<Job<?, ?>, PollTask> pending;

        PollTask(Job<?, ?> job, ConcurrentMap<Job<?, ?>, PollTask> pending, Runnable body) {
            super(body, null);
            this.job = job;
            this.pending = pending;
        }

        @Override
        protected void done() {
            pending.remove(job, this);
            if (!isCancelled()) {
                try {
                    get();
                } catch (ExecutionException e) {
                    // The poll logs its own failures; this is a bug in it, not a storage error.
                    LOGGER.log(Level.WARNING, "Azure Blob poll of " + job.getFullName() + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
