package io.jenkins.plugins.azureml.blob.events;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a batch's independent storage calls (Get Blob Properties of each event's blob, Delete Message of each handled
 * message) at most {@code parallelism} at a time, so a burst of events costs the slowest call of a round rather than
 * the sum of all. With a parallelism of 1 the calls run one after the other on the caller's thread, as the consumer
 * did before. The threads are daemons and end after 30 idle seconds, so an idle queue holds none.
 */
final class ParallelCalls {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService executor;

    /** @param parallelism how many calls may run at once; 1 runs them on the caller's thread */
    ParallelCalls(int parallelism) {
        if (parallelism <= 1) {
            executor = null;
            return;
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(parallelism, parallelism, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "azure-blob-events-" + pool + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        e.allowCoreThreadTimeOut(true);
        executor = e;
    }

    /**
     * Starts a call.
     *
     * @param call the call; what it throws is thrown by the result's {@link Call#get()}
     * @return its result, to collect once every call of the round is started
     */
    <T> Call<T> start(Supplier<T> call) {
        if (executor == null) {
            try {
                return new Call<>(CompletableFuture.completedFuture(call.get()));
            } catch (RuntimeException e) {
                return new Call<>(CompletableFuture.failedFuture(e));
            }
        }
        return new Call<>(CompletableFuture.supplyAsync(call, executor));
    }

    /** One started call. */
    static final class Call<T> {
        private final CompletableFuture<T> future;

        private Call(CompletableFuture<T> future) {
            this.future = future;
        }

        /** Waits for the call; rethrows what it threw. */
        T get() {
            try {
                return future.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }
}
