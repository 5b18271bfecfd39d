package io.ferry.core.nio;

import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketAddresses;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.posix.SocketTracker;
import io.ferry.core.posix.StackSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening {@link ServerSocketChannel} in non-blocking mode. Register {@link #channel()} for
 * {@link io.ferry.api.event.EventMask#READABLE} with the worker's center (the {@link NioDriver}
 * maps it to {@code OP_ACCEPT}) and call {@link #accept} until it returns null.
 *
 * <p><b>Threading:</b> {@link #accept} on the owning worker's event-loop thread only;
 * {@link #close()}, {@link #localAddress()} and {@link #worker()} from any thread.
 *
 * <p><b>Shutdown:</b> once the stack stopped, {@link #accept} throws an {@link IOException} saying so
 * instead of accepting connections no worker would serve.
 */
final class NioServerSocket extends StackSocket implements ServerSocket {
    private final ServerSocketChannel channel;
    private final SocketTracker tracker;
    private final SocketAddress localAddress;

    /**
     * @param channel a bound, listening channel in non-blocking mode
     * @param localAddress the address it is bound to
     */
    NioServerSocket(ServerSocketChannel channel, SocketAddress localAddress, EventLoopWorker worker,
            SocketTracker tracker) {
        super(worker, tracker);
        this.channel = channel;
        this.tracker = tracker;
        this.localAddress = localAddress;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public Worker worker() {
        return worker;
    }

    /**
     * Accepts one pending connection, applies the per-connection options and assigns it to
     * {@code target}.
     *
     * @param target the worker that will own the connection; must be one of the stack's
     *     {@link EventLoopWorker}s; null means this listener's own worker
     * @throws IllegalArgumentException if {@code target} is not an {@link EventLoopWorker} (nothing
     *     is accepted then)
     * @throws IOException if the stack shut down, the listener is closed, or the kernel refuses
     *     (such as EMFILE); the listener stays usable for the last case
     */
    @Override
    public ConnectedSocket accept(SocketOptions options, Worker target) throws IOException {
        EventLoopWorker owner = target == null ? worker : ownerOf(target);
        if (failedByStack) {
            throw new IOException("listener " + SocketAddresses.format(localAddress)
                    + " does not accept: the stack shut down (ESHUTDOWN)");
        }
        SocketChannel accepted = channel.accept();
        if (accepted == null) {
            return null;
        }
        try {
            accepted.configureBlocking(false);
            NioSocketProvider.applyConnectionOptions(accepted, options);
        } catch (IOException e) {
            NioSocketProvider.closeQuietly(accepted);
            throw new IOException("cannot set up connection accepted on " + SocketAddresses.format(localAddress)
                    + ": " + e.getMessage(), e);
        }
        return tracker.track(new NioConnectedSocket(accepted, null, 0, owner, tracker));
    }

    private static EventLoopWorker ownerOf(Worker target) {
        if (target instanceof EventLoopWorker) {
            return (EventLoopWorker) target;
        }
        throw new IllegalArgumentException("the nio sockets belong to event-loop workers of the posix stack, not "
                + target);
    }

    @Override
    protected void closeResource() {
        NioSocketProvider.closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "nio listener " + SocketAddresses.format(localAddress);
    }
}
