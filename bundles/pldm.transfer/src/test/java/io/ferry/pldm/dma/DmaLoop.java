package io.ferry.pldm.dma;

import io.ferry.api.event.EventCenter;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real event loop (epoll driver) for DMA tests, plus helpers to run on it and await completions. */
final class DmaLoop implements AutoCloseable {
    /** What a completion reported. */
    record Result(DmaOperation op, int status, long bytes, boolean onLoopThread) {
    }

    private final EventLoopWorker worker;

    DmaLoop(String name) throws IOException {
        worker = new EventLoopWorker(0, name, new EpollDriverFactory().create());
        worker.start();
    }

    EventCenter center() {
        return worker.center();
    }

    /** Runs {@code action} on the loop and returns its value. */
    <T> T call(Function<EventCenter, T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                f.complete(action.apply(worker.center()));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Starts {@code request} on the loop; the future completes with the completion's arguments. */
    CompletableFuture<Result> start(DmaEngine engine, DmaRequest request) throws Exception {
        CompletableFuture<Result> done = new CompletableFuture<>();
        call(c -> engine.start(request, c, (op, status, bytes) -> {
            if (!done.complete(new Result(op, status, bytes, c.inEventLoop()))) {
                throw new AssertionError("completion called twice for " + op);
            }
        }));
        return done;
    }

    static Result await(CompletableFuture<Result> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        worker.stop(10_000);
    }
}
