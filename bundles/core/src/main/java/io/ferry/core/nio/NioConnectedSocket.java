package io.ferry.core.nio;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.SocketAddresses;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.posix.SocketTracker;
import io.ferry.core.posix.StackSocket;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A TCP connection over a non-blocking {@link SocketChannel}. Register {@link #channel()} with the
 * worker's center; the {@link NioDriver} maps {@link io.ferry.api.event.EventMask#READABLE} to
 * {@code OP_READ} and {@link io.ferry.api.event.EventMask#WRITABLE} to {@code OP_WRITE | OP_CONNECT}.
 *
 * <p><b>Return codes:</b> I/O never throws for the peer or the network: failures come back as
 * negative {@link Errno} values mapped from the JDK's exceptions ({@code -ECONNRESET},
 * {@code -EPIPE}, {@code -ECONNREFUSED}, ...), {@code -EAGAIN} when nothing can be done now,
 * {@code -EBADF} after {@link #close()}, and {@code -ESHUTDOWN} once the stack shut down.
 *
 * <p><b>Threading:</b> the I/O methods ({@link #isConnected()}, {@link #read}, {@link #write},
 * {@link #send}, {@link #shutdownOutput()}) on the owning worker's event-loop thread only; they
 * allocate nothing. {@link #close()}, the address getters and {@link #worker()} from any thread.
 */
final class NioConnectedSocket extends StackSocket implements ConnectedSocket {
    /** Most segments handed to one gathering write (the kernel's IOV_MAX is far larger). */
    static final int MAX_GATHER = 64;

    private final SocketChannel channel;
    /** The segments of one gathering write; reused, cleared after each call. */
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    /** The negative errno of a failed connect, or 0. Event-loop thread only. */
    private int connectErrno;
    private volatile SocketAddress localAddress;
    private volatile SocketAddress remoteAddress;

    /**
     * @param channel a connected or connecting channel in non-blocking mode
     * @param remoteAddress the address connected to, or null to ask the channel
     * @param connectErrno the negative errno of a connect that already failed, or 0
     */
    NioConnectedSocket(SocketChannel channel, SocketAddress remoteAddress, int connectErrno, EventLoopWorker worker,
            SocketTracker tracker) {
        super(worker, tracker);
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.connectErrno = connectErrno;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    /**
     * Completes a pending connect ({@link SocketChannel#finishConnect()}) when the channel is
     * still connecting.
     */
    @Override
    public int isConnected() {
        int failure = failure();
        if (failure != 0) {
            return failure;
        }
        if (channel.isConnected()) {
            return 1;
        }
        if (!channel.isOpen()) {
            return -Errno.EBADF;
        }
        if (!channel.isConnectionPending()) {
            return -Errno.ENOTCONN;
        }
        try {
            return channel.finishConnect() ? 1 : 0;
        } catch (IOException e) {
            connectErrno = NioErrors.errno(e);
            return connectErrno;
        }
    }

    /**
     * Reads what is available into {@code dst}.
     *
     * @return bytes read (> 0), 0 at end of stream, {@code -EAGAIN} when nothing is available,
     *     {@code -EINVAL} when {@code dst} has no space left, or another negative errno
     */
    @Override
    public int read(ByteBuffer dst) {
        int failure = failure();
        if (failure != 0) {
            return failure;
        }
        if (!dst.hasRemaining()) {
            return -Errno.EINVAL;
        }
        try {
            int n = channel.read(dst);
            if (n > 0) {
                return n;
            }
            return n < 0 ? 0 : -Errno.EAGAIN;
        } catch (IOException e) {
            return NioErrors.errno(e);
        } catch (NotYetConnectedException e) {
            return -Errno.ENOTCONN;
        }
    }

    @Override
    public int write(ByteBuffer src) {
        int failure = failure();
        if (failure != 0) {
            return failure;
        }
        try {
            return channel.write(src);
        } catch (IOException e) {
            return NioErrors.errno(e);
        } catch (NotYetConnectedException e) {
            return -Errno.ENOTCONN;
        }
    }

    /**
     * Writes {@code data} with gathering writes of up to {@value #MAX_GATHER} segments, until it
     * is empty or the kernel's send buffer is full, and consumes what was written (releasing
     * pooled segments that were written completely).
     *
     * @param more ignored: the JDK offers no portable way to cork a socket
     * @return bytes written (>= 0); a failure after some bytes went out is returned by the next call
     */
    @Override
    public long send(BufferList data, boolean more) {
        int failure = failure();
        if (failure != 0) {
            return failure;
        }
        long total = 0;
        int filled = 0;
        try {
            while (!data.isEmpty()) {
                int count = data.nioBuffers(gather);
                filled = Math.max(filled, count);
                long wanted = 0;
                for (int i = 0; i < count; i++) {
                    wanted += gather[i].remaining();
                }
                long written = channel.write(gather, 0, count);
                data.consume(written);
                total += written;
                if (written < wanted) {
                    break;
                }
            }
            return total;
        } catch (IOException e) {
            return total > 0 ? total : NioErrors.errno(e);
        } catch (NotYetConnectedException e) {
            return -Errno.ENOTCONN;
        } finally {
            Arrays.fill(gather, 0, filled, null);
        }
    }

    @Override
    public int shutdownOutput() {
        int failure = failure();
        if (failure != 0) {
            return failure;
        }
        try {
            channel.shutdownOutput();
            return 0;
        } catch (IOException e) {
            return NioErrors.errno(e);
        } catch (NotYetConnectedException e) {
            return -Errno.ENOTCONN;
        }
    }

    @Override
    public SocketAddress localAddress() {
        SocketAddress a = localAddress;
        if (a == null) {
            try {
                a = channel.getLocalAddress();
                localAddress = a;
            } catch (IOException e) {
                return null;
            }
        }
        return a;
    }

    @Override
    public SocketAddress remoteAddress() {
        SocketAddress a = remoteAddress;
        if (a == null) {
            try {
                a = channel.getRemoteAddress();
                remoteAddress = a;
            } catch (IOException e) {
                return null;
            }
        }
        return a;
    }

    @Override
    public Worker worker() {
        return worker;
    }

    @Override
    protected void closeResource() {
        NioSocketProvider.closeQuietly(channel);
    }

    /** @return {@code -ESHUTDOWN} after the stack stopped, the connect's errno if it failed, else 0. */
    private int failure() {
        if (failedByStack) {
            return -Errno.ESHUTDOWN;
        }
        return connectErrno;
    }

    @Override
    public String toString() {
        return "nio socket " + SocketAddresses.format(localAddress()) + "->" + SocketAddresses.format(remoteAddress());
    }
}
