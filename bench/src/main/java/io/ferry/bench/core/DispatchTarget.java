package io.ferry.bench.core;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An event loop that takes tasks from another thread: a Ferry {@link EventLoopWorker} (its
 * EventCenter's {@code execute}) or a Netty {@code EpollEventLoop} ({@code execute}).
 *
 * <p><b>Threading:</b> {@link #execute} is called by the producing harness thread;
 * {@link #close} by the harness after producing, bounded.
 */
interface DispatchTarget extends AutoCloseable {
    String label();

    /** Queues {@code task} on the loop, waking it if it sleeps. */
    void execute(Runnable task);

    @Override
    void close();

    /** @return a started Ferry worker polling with a driver of {@code drivers}. */
    static DispatchTarget ferry(EventDriverFactory drivers) throws IOException {
        EventLoopWorker worker = new EventLoopWorker(0, "bench-dispatch-" + drivers.name(), drivers.create());
        worker.start();
        return new DispatchTarget() {
            @Override
            public String label() {
                return "ferry/" + drivers.name();
            }

            @Override
            public void execute(Runnable task) {
                worker.center().execute(task);
            }

            @Override
            public void close() {
                worker.stop(5_000);
            }
        };
    }

    /** @return a Netty epoll event loop (its thread starts with the first task). */
    static DispatchTarget netty() {
        Epoll.ensureAvailability();
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        EventLoop loop = group.next();
        return new DispatchTarget() {
            @Override
            public String label() {
                return "netty/epoll";
            }

            @Override
            public void execute(Runnable task) {
                loop.execute(task);
            }

            @Override
            public void close() {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
            }
        };
    }
}
