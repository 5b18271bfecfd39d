package io.ferry.core.nio;

import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketAddresses;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.posix.SocketProvider;
import io.ferry.core.posix.SocketTracker;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel TCP sockets as JDK channels ({@link ServerSocketChannel}, {@link SocketChannel}) in
 * non-blocking mode, for workers that poll with the portable {@link NioDriver}.
 *
 * <p>Options: {@link SocketOptions#noDelay()} sets TCP_NODELAY, {@link SocketOptions#keepAlive()}
 * SO_KEEPALIVE, non-zero buffer sizes SO_RCVBUF and SO_SNDBUF; on listeners
 * {@link SocketOptions#reuseAddress()} sets SO_REUSEADDR and SO_RCVBUF is set before binding so
 * that accepted connections negotiate their window with it. The {@code more} hint of
 * {@link ConnectedSocket#send} is ignored: the JDK has no portable TCP_CORK.
 *
 * <p>Stateless; any thread may call it. The sockets belong to the worker they are created for.
 */
public final class NioSocketProvider implements SocketProvider {
    /** The provider's name in status output. */
    public static final String NAME = "nio";

    private static final Logger LOG = LoggerFactory.getLogger(NioSocketProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Binds and listens without blocking.
     *
     * @throws java.net.BindException when the address is in use or cannot be assigned
     * @throws IOException for any other refusal, with the address in the message
     */
    @Override
    public ServerSocket listen(InetSocketAddress address, SocketOptions options, EventLoopWorker worker,
            SocketTracker tracker) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        SocketAddress bound;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            channel.bind(address, options.backlog());
            bound = channel.getLocalAddress();
        } catch (IOException | UnsupportedAddressTypeException | UnresolvedAddressException e) {
            closeQuietly(channel);
            throw failure("cannot listen on " + SocketAddresses.format(address), e);
        }
        return tracker.track(new NioServerSocket(channel, bound, worker, tracker));
    }

    /**
     * Starts a non-blocking connect. A connect the operating system refuses at once (for
     * example an unreachable network) is not thrown: the socket reports it from
     * {@link ConnectedSocket#isConnected()} like a connect that fails later.
     *
     * @throws IOException only when no socket can be created (descriptors exhausted, bad address)
     */
    @Override
    public ConnectedSocket connect(InetSocketAddress address, SocketOptions options, EventLoopWorker worker,
            SocketTracker tracker) throws IOException {
        SocketChannel channel = openSocket(options);
        try {
            channel.connect(address);
        } catch (UnsupportedAddressTypeException | UnresolvedAddressException e) {
            closeQuietly(channel);
            throw failure("cannot connect to " + SocketAddresses.format(address), e);
        } catch (IOException e) {
            // The JDK closed the channel. Hand out a fresh unconnected one in its place: the kernel
            // reports a never-connected socket as hung up, so the caller's first event fires at once
            // and isConnected() then returns the error.
            int errno = NioErrors.errno(e);
            LOG.debug("connect to {} failed at once: {}", SocketAddresses.format(address), e.getMessage());
            closeQuietly(channel);
            return tracker.track(new NioConnectedSocket(openSocket(options), address, errno, worker, tracker));
        }
        return tracker.track(new NioConnectedSocket(channel, address, 0, worker, tracker));
    }

    private static SocketChannel openSocket(SocketOptions options) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            applyConnectionOptions(channel, options);
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
        return channel;
    }

    /** Applies the per-connection options (not SO_REUSEADDR or the backlog, which are the listener's). */
    static void applyConnectionOptions(SocketChannel channel, SocketOptions options) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive());
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
    }

    static void closeQuietly(NetworkChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed: {}", channel, e.getMessage());
        }
    }

    private static IOException failure(String what, Exception cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        IOException e = cause instanceof BindException ? new BindException(what + ": " + reason)
                : new IOException(what + ": " + reason);
        e.initCause(cause);
        return e;
    }

    @Override
    public String toString() {
        return "nio socket provider";
    }
}
