package io.ferry.core.posix;

import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.event.EventLoopWorker;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates kernel TCP sockets of the kind a driver can poll: descriptors ({@code epoll}) or JDK
 * channels ({@code nio}). Any thread may call it; the sockets belong to {@code worker}.
 * Implementations count the worker's load up for each socket and add it to {@code tracker}.
 */
public interface SocketProvider {
    /** @return a short name for status output ({@code "native"}, {@code "nio"}). */
    String name();

    /** Binds and listens without blocking. */
    ServerSocket listen(InetSocketAddress address, SocketOptions options, EventLoopWorker worker,
            SocketTracker tracker) throws IOException;

    /** Starts a non-blocking connect; failures to connect are reported by {@code isConnected()}. */
    ConnectedSocket connect(InetSocketAddress address, SocketOptions options, EventLoopWorker worker,
            SocketTracker tracker) throws IOException;
}
