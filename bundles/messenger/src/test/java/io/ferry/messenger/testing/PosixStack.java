package io.ferry.messenger.testing;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.posix.PosixNetworkStack;

/** A started posix stack on the epoll driver (bundles/core), stopped (bounded) by {@link #close()}. */
public final class PosixStack implements AutoCloseable {
    private final PosixNetworkStack stack;

    public PosixStack(String name, int workers) throws Exception {
        stack = new PosixNetworkStack(name, new EpollDriverFactory(), workers);
        stack.start();
    }

    public PosixNetworkStack stack() {
        return stack;
    }

    public int openSockets() {
        return stack.openSockets();
    }

    @Override
    public void close() {
        stack.stop(5_000);
    }
}
