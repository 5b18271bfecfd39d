package io.ferry.testkit;

import io.ferry.api.event.EventCenter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs code on an event loop from a test thread, and waits for results, always with a bound.
 * Any thread may call these methods; none may be called on an event-loop thread that the awaited
 * work needs (it would wait for itself until the bound).
 */
public final class EventLoops {
    private EventLoops() {
    }

    /** A piece of loop-thread work that may throw. */
    @FunctionalInterface
    public interface LoopTask {
        void run() throws Exception;
    }

    /**
     * Runs {@code task} on {@code center}'s thread.
     *
     * @return its result; completed exceptionally with what it threw, or with an
     *     {@link IllegalStateException} if the center refused the task (shut down)
     */
    public static <T> CompletableFuture<T> call(EventCenter center, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = center.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        if (!queued) {
            result.completeExceptionally(new IllegalStateException(center.name() + " is shut down"));
        }
        return result;
    }

    /** Runs {@code task} on {@code center}'s thread; see {@link #call}. */
    public static CompletableFuture<Void> run(EventCenter center, LoopTask task) {
        return call(center, () -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} on {@code center}'s thread and waits for it, at most {@code timeout}. */
    public static <T> T callAndWait(EventCenter center, Callable<T> task, Duration timeout) throws Exception {
        return await(call(center, task), timeout, "a task on " + center.name());
    }

    /** Runs {@code task} on {@code center}'s thread and waits for it, at most {@code timeout}. */
    public static void runAndWait(EventCenter center, LoopTask task, Duration timeout) throws Exception {
        await(run(center, task), timeout, "a task on " + center.name());
    }

    /**
     * Waits at most {@code timeout} for {@code future}.
     *
     * @param what names what is awaited, for the failure message
     * @return the value
     * @throws AssertionError if it did not complete in time
     * @throws Exception what the future completed with, unwrapped
     */
    public static <T> T await(Future<T> future, Duration timeout, String what) throws Exception {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new AssertionError(what + " did not happen within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw e;
        }
    }

    /**
     * Checks {@code condition} every few milliseconds until it holds, at most {@code timeout}.
     *
     * @throws AssertionError naming {@code what} if it still does not hold
     */
    public static void awaitCondition(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(5);
        }
    }
}
