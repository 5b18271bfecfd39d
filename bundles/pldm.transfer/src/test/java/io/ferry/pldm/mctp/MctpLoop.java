package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real event loop (epoll driver) for the MCTP tests, and a bounded way to run code on it. */
final class MctpLoop implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 10;

    private final EventLoopWorker worker;

    MctpLoop(String name) throws IOException {
        worker = new EventLoopWorker(0, name, new EpollDriverFactory().create());
        worker.start();
    }

    EventCenter center() {
        return worker.center();
    }

    /** Runs {@code action} on the loop and returns its value, waiting at most {@link #TIMEOUT_SECONDS}. */
    <T> T call(Callable<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!worker.center().execute(() -> {
            try {
                f.complete(action.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        })) {
            throw new IllegalStateException("loop shut down");
        }
        return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        worker.stop(10_000);
    }
}
