package io.jenkins.plugins.azureml.blob.events;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The receive loop of one queue: runs {@link BlobEventCycle} again at once while messages come, after
 * {@link #idleDelay} when the queue was empty (Storage queues have no long polling), and after a bounded exponential
 * back-off while the queue cannot be reached (logged when the outage starts and when it ends; nothing is lost, the
 * messages wait in the queue). Runs on the caller's executor; {@link #close()} stops it after the cycle in progress.
 */
public final class BlobEventConsumer implements AutoCloseable {
    /** The default wait after an empty receive. */
    public static final Duration DEFAULT_IDLE_DELAY = Duration.ofSeconds(1);
    /** The first and the longest wait after a failed receive. */
    public static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

    private final BlobEventCycle cycle;
    private final Supplier<List<EventWatchTarget>> targets;
    private final ScheduledExecutorService executor;
    private final Consumer<EventCycleReport> reports;
    private final Consumer<String> log;
    private final Duration idleDelay;
    private final Duration maxBackoff;
    private final Object lock = new Object();
    private ScheduledFuture<?> next;
    private boolean closed;
    private int failures;
    private Duration backoff;

    /**
     * @param cycle the queue's cycle
     * @param targets the jobs listening now (asked before every cycle)
     * @param executor runs the cycles; one cycle at a time is scheduled
     * @param reports gets every report with messages (for the jobs' polling logs)
     * @param log gets the outage lines (for the controller's log)
     * @param idleDelay the wait after an empty receive
     * @param maxBackoff the longest wait after failed receives
     */
    public BlobEventConsumer(BlobEventCycle cycle, Supplier<List<EventWatchTarget>> targets,
            ScheduledExecutorService executor, Consumer<EventCycleReport> reports, Consumer<String> log,
            Duration idleDelay, Duration maxBackoff) {
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.log = Objects.requireNonNull(log, "log");
        this.idleDelay = Objects.requireNonNull(idleDelay, "idleDelay");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.backoff = firstBackoff();
    }

    private Duration firstBackoff() {
        return MIN_BACKOFF.compareTo(maxBackoff) < 0 ? MIN_BACKOFF : maxBackoff;
    }

    /** Starts the loop (the first receive at once). */
    public void start() {
        schedule(Duration.ZERO);
    }

    /** How many receives in a row failed (0 while the queue is reachable). */
    public int consecutiveFailures() {
        synchronized (lock) {
            return failures;
        }
    }

    private void schedule(Duration delay) {
        synchronized (lock) {
            if (!closed) {
                next = executor.schedule(this::runOnce, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void runOnce() {
        Duration delay;
        try {
            EventCycleReport report = cycle.run(targets.get());
            delay = recovered();
            if (report.received() > 0) {
                reports.accept(report);
            } else {
                delay = idleDelay;
            }
        } catch (BlobEventQueueException e) {
            delay = failed(e);
        } catch (RuntimeException e) {
            // A job's scheduler or a bug: keep the loop alive; the messages come back.
            log.accept("Event cycle failed: " + e + "; retrying");
            delay = failed(null);
        }
        schedule(delay);
    }

    private Duration recovered() {
        synchronized (lock) {
            if (failures > 0) {
                log.accept("Event queue reachable again after " + failures + " failed receive(s)");
            }
            failures = 0;
            backoff = firstBackoff();
            return Duration.ZERO;
        }
    }

    private Duration failed(BlobEventQueueException e) {
        synchronized (lock) {
            failures++;
            Duration wait = backoff;
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            if (e != null && (failures == 1 || Long.bitCount(failures) == 1)) {
                log.accept(e.getMessage() + " (failure " + failures + "; next try in " + wait.toMillis() + " ms)");
            }
            return wait;
        }
    }

    /** Stops the loop; a cycle in progress finishes, no further one starts. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }
}
