package io.ferry.bench.pldm;

import io.ferry.api.event.EventCenter;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One real Ferry event loop (an {@link EventLoopWorker} on the epoll driver) for the benchmarks,
 * with a helper to run something on it and wait (bounded) for the result. Created and closed on the
 * runner's thread.
 */
final class BenchLoop implements AutoCloseable {
    static final long WAIT_SECONDS = 60;

    private final EventLoopWorker worker;

    BenchLoop(String name) throws IOException {
        EpollDriverFactory epoll = new EpollDriverFactory();
        if (!epoll.isAvailable()) {
            throw new IllegalStateException("Ferry's epoll driver is not available here: " + epoll);
        }
        worker = new EventLoopWorker(0, name, epoll.create());
        worker.start();
    }

    EventCenter center() {
        return worker.center();
    }

    /**
     * Runs {@code start} on the loop, handing it a future it must complete (on any thread), and
     * waits for that future at most {@value #WAIT_SECONDS} s.
     */
    <T> T await(Consumer<CompletableFuture<T>> start) throws IOException {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!worker.center().execute(() -> {
            try {
                start.accept(done);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        })) {
            throw new IOException("the bench loop refused the task (shut down)");
        }
        try {
            return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no completion within " + WAIT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        worker.stop(10_000);
    }
}
