package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for runs with a chain of timer-scheduled polls on a caller-supplied scheduler: no thread sleeps and none is
 * held between polls (the HTTP calls are non-blocking), so thousands of waits share a few threads. Every decision is
 * {@link RunMonitor}'s; this class only schedules, calls the client and reports. A Jenkins step does the same with
 * {@code jenkins.util.Timer}, persisting {@link Wait#progress()} so {@link #resume} can continue after a restart.
 */
public final class RunWaiter {
    /** Receives console lines and progress to persist; called on the scheduler's threads, one call at a time. */
    public interface Listener {
        void log(String line);

        default void progressed(RunProgress progress) {
        }
    }

    private final AzureMlClient client;
    private final RunMonitor monitor;
    private final ScheduledExecutorService scheduler;
    private final RunLogFollower logs;

    public RunWaiter(AzureMlClient client, RunMonitor monitor, ScheduledExecutorService scheduler) {
        this(client, monitor, scheduler, null);
    }

    /**
     * @param logs follows the run's logs on each poll, printing new lines before the next status decision and
     *     saving its cursor with the progress; null for status lines only
     */
    public RunWaiter(AzureMlClient client, RunMonitor monitor, ScheduledExecutorService scheduler,
                     RunLogFollower logs) {
        this.client = client;
        this.monitor = monitor;
        this.scheduler = scheduler;
        this.logs = logs;
    }

    /**
     * Starts waiting for a just-submitted run. The first decision is taken here (it does no I/O), so
     * {@link Wait#progress()} is ready to persist and {@link Wait#abort()} cancels the run from the start.
     */
    public Wait await(PipelineRun submitted, Duration timeout, Listener listener) {
        MonitorDecision first = monitor.start(submitted, timeout);
        Wait wait = new Wait(listener, first.getProgress()); // so that an abort right away still cancels the run
        scheduler.execute(() -> wait.follow(first));
        return wait;
    }

    /** Continues waiting from persisted progress (e.g. after a restart): polls right away. */
    public Wait resume(RunProgress progress, Listener listener) {
        Wait wait = new Wait(listener, progress);
        wait.schedulePoll(Duration.ZERO);
        return wait;
    }

    /** One wait in progress. */
    public final class Wait {
        private final Listener listener;
        private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        private RunProgress progress;
        private ScheduledFuture<?> nextPoll;

        private Wait(Listener listener, RunProgress initial) {
            this.listener = listener;
            this.progress = initial;
        }

        /** Completes when the run ends, times out (after the cancel was sent), polling gives up, or on abort. */
        public CompletableFuture<RunOutcome> outcome() {
            return outcome;
        }

        /** The latest progress, to persist. */
        public synchronized RunProgress progress() {
            return progress;
        }

        /**
         * Stops waiting and asks Azure ML to cancel the run (build aborted).
         *
         * @return completes when the cancel request was answered (exceptionally if it failed)
         */
        public CompletableFuture<Void> abort() {
            RunProgress current;
            synchronized (this) {
                if (outcome.isDone()) {
                    return CompletableFuture.completedFuture(null);
                }
                if (nextPoll != null) {
                    nextPoll.cancel(false);
                }
                current = progress;
            }
            RunOutcome aborted = monitor.aborted(current);
            listener.log(aborted.getSummary());
            outcome.complete(aborted);
            return client.cancelRunAsync(current.getRun());
        }

        private void follow(MonitorDecision decision) {
            follow(decision, List.of());
        }

        /** Log lines come after a status change while the run goes on, and before the end is reported. */
        private void follow(MonitorDecision decision, List<String> logLines) {
            synchronized (this) {
                if (outcome.isDone()) {
                    return; // aborted meanwhile
                }
                progress = decision.getProgress();
            }
            boolean goesOn = decision.getAction() == MonitorDecision.Action.POLL_AGAIN;
            if (!goesOn) {
                logLines.forEach(listener::log);
            }
            decision.getConsoleLines().forEach(listener::log);
            if (goesOn) {
                logLines.forEach(listener::log);
            }
            listener.progressed(decision.getProgress());
            switch (decision.getAction()) {
                case POLL_AGAIN:
                    schedulePoll(decision.getDelay());
                    break;
                case TIMED_OUT:
                    client.cancelRunAsync(decision.getProgress().getRun()).whenCompleteAsync((ok, error) -> {
                        if (error != null) {
                            listener.log("Could not cancel Azure ML run " + decision.getOutcome().getRunId() + ": "
                                    + rootMessage(error));
                        }
                        outcome.complete(decision.getOutcome());
                    }, scheduler);
                    break;
                default:
                    outcome.complete(decision.getOutcome());
                    break;
            }
        }

        private synchronized void schedulePoll(Duration delay) {
            if (outcome.isDone()) {
                return;
            }
            nextPoll = scheduler.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void poll() {
            RunProgress current = progress();
            client.getRunAsync(current.getRun()).whenCompleteAsync((run, error) -> {
                try {
                    if (error != null) {
                        follow(monitor.onError(current, error));
                    } else if (logs == null) {
                        follow(monitor.onRun(current, run));
                    } else {
                        followLogsThen(current, run);
                    }
                } catch (RuntimeException bug) {
                    outcome.completeExceptionally(bug); // never leave a waiter hanging
                }
            }, scheduler);
        }

        /** Reads the logs (never fails), then decides with the new cursor in the progress. */
        private void followLogsThen(RunProgress current, PipelineRun run) {
            logs.poll(current.getRun(), current.getLogCursor(), run.getStatus().isTerminal())
                    .whenCompleteAsync((update, error) -> {
                        try {
                            if (error != null) {
                                follow(monitor.onRun(current, run));
                            } else {
                                follow(monitor.onRun(current.withLogCursor(update.cursor()), run), update.lines());
                            }
                        } catch (RuntimeException bug) {
                            outcome.completeExceptionally(bug);
                        }
                    }, scheduler);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException)) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
