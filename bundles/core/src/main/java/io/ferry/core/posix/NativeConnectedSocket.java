package io.ferry.core.posix;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.SocketAddresses;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.jna.LibC;
import io.ferry.core.jna.NativeBuffers;
import io.ferry.core.jna.NativeScratch;
import io.ferry.core.jni.NativeIo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

/**
 * A kernel TCP connection on a raw, non-blocking descriptor, from
 * {@link NativeSocketProvider#connect} or {@link NativeServerSocket#accept}.
 *
 * <p><b>Threading:</b> only the event-loop thread of {@link #worker()} may call
 * {@link #isConnected()}, {@link #read}, {@link #write}, {@link #send} and
 * {@link #shutdownOutput()}. {@link #close()}, {@link #fd()}, {@link #localAddress()},
 * {@link #remoteAddress()}, {@link #worker()} and {@link #isOpen()} may be called from any
 * thread; a close from another thread is carried out on the owner's loop, after the file event
 * is cancelled, so the descriptor number is never reused under a live registration.
 *
 * <p><b>Return codes:</b> I/O never throws for flow control or peer failures: it returns a count,
 * or a negative Linux errno ({@link Errno}). Once the stack shut down every I/O method returns
 * {@code -ESHUTDOWN}; after {@link #close()}, {@code -EBADF}; after a failed connect, the
 * connect's error (such as {@code -ECONNREFUSED}). {@code EINTR} is retried.
 *
 * <p><b>No allocation, no copy where avoidable:</b> direct buffers are passed to the kernel by
 * address; heap buffers go through the thread's {@link NativeScratch} copy area (at most
 * {@value NativeScratch#COPY_SIZE} bytes per call); {@link #send} is one {@code sendmsg} per up
 * to {@value NativeScratch#IOV_BATCH} segments over the thread's iovec array.
 *
 * <p><b>SIGPIPE:</b> every write is a {@code send}/{@code sendmsg} with {@code MSG_NOSIGNAL}, so
 * writing to a connection the peer reset returns {@code -EPIPE} (or {@code -ECONNRESET}) and never
 * raises {@code SIGPIPE}, whatever the process's signal disposition.
 */
public final class NativeConnectedSocket extends StackSocket implements ConnectedSocket {
    /** {@link #isConnected()} value once connected. */
    static final int CONNECTED = 1;
    /** {@link #isConnected()} value while a non-blocking connect is in progress. */
    static final int CONNECTING = 0;

    private final int fd;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    /** {@link #CONNECTED}, {@link #CONNECTING}, or a negative errno; owner thread only. */
    private int connectState;

    /**
     * Takes ownership of a connected or connecting descriptor; counts the worker's load up.
     *
     * @param connectState {@link #CONNECTED}, {@link #CONNECTING}, or the negative errno a
     *     connect failed with at once
     */
    NativeConnectedSocket(int fd, InetSocketAddress local, InetSocketAddress remote, int connectState,
            EventLoopWorker worker, SocketTracker tracker) {
        super(worker, tracker);
        this.fd = fd;
        this.local = local;
        this.remote = remote;
        this.connectState = connectState;
    }

    @Override
    public int fd() {
        return fd;
    }

    /**
     * While a connect is in progress, asks the kernel: a pending socket error ({@code SO_ERROR},
     * e.g. {@code ECONNREFUSED}) is the failure; otherwise the TCP state tells whether the
     * handshake is still running ({@code SYN_SENT}). The outcome, once known, is kept.
     */
    @Override
    public int isConnected() {
        if (failedByStack) {
            return -Errno.ESHUTDOWN;
        }
        if (!isOpen()) {
            return -Errno.EBADF;
        }
        if (connectState == CONNECTING) {
            connectState = checkConnect();
        }
        return connectState;
    }

    /**
     * Reads with {@code recv}. A buffer with no room returns 0 without a system call.
     *
     * @throws ReadOnlyBufferException if {@code dst} is read-only (a programming error)
     */
    @Override
    public int read(ByteBuffer dst) {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int position = dst.position();
        int room = dst.limit() - position;
        if (room == 0) {
            return -Errno.EINVAL;
        }
        if (dst.isDirect()) {
            long n = NativeIo.recv(fd, NativeBuffers.address(dst) + position, room, 0);
            if (n < 0) {
                return failed((int) n);
            }
            dst.position(position + (int) n);
            return (int) n;
        }
        NativeScratch scratch = NativeScratch.current();
        ByteBuffer copy = scratch.copyBuffer();
        long n = NativeIo.recv(fd, scratch.copyAddress(), Math.min(room, NativeScratch.COPY_SIZE), 0);
        if (n < 0) {
            return failed((int) n);
        }
        dst.put(position, copy, 0, (int) n);
        dst.position(position + (int) n);
        return (int) n;
    }

    /** @return true: a kernel TCP socket; a short read emptied its receive queue */
    @Override
    public boolean shortReadDrains() {
        return true;
    }

    /**
     * Writes with {@code send(MSG_NOSIGNAL)}; a full send buffer returns 0 (wait for
     * {@link io.ferry.api.event.EventMask#WRITABLE}).
     */
    @Override
    public int write(ByteBuffer src) {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        int position = src.position();
        int length = src.limit() - position;
        if (length == 0) {
            return 0;
        }
        long address;
        if (src.isDirect()) {
            address = NativeBuffers.address(src) + position;
        } else {
            NativeScratch scratch = NativeScratch.current();
            length = Math.min(length, NativeScratch.COPY_SIZE);
            scratch.copyBuffer().put(0, src, position, length);
            address = scratch.copyAddress();
        }
        long n = NativeIo.send(fd, address, length, LibC.MSG_NOSIGNAL);
        if (n < 0) {
            return n == -Errno.EAGAIN ? 0 : failed((int) n);
        }
        src.position(position + (int) n);
        return (int) n;
    }

    /**
     * Direct segments up to this size are copied into the scratch area with the heap segments
     * around them instead of getting an iovec of their own: a message of small sections (a
     * header, a 64-byte payload, a footer) then goes out as one plain {@code send}, which costs
     * the kernel less than importing and walking an iovec array.
     */
    static final int SMALL_DIRECT_COPY = 1024;

    /**
     * Gathering write: {@code sendmsg(MSG_NOSIGNAL)} over up to {@value NativeScratch#IOV_BATCH}
     * segments per call, repeated while the kernel takes whole batches. Direct segments larger
     * than {@value #SMALL_DIRECT_COPY} bytes are passed by address; heap segments and small direct
     * ones are copied to the thread's scratch area first, consecutive ones into one iovec; a batch
     * of one iovec is a plain {@code send}. Batches
     * followed by more data, and the last one when {@code more} is set, carry {@code MSG_MORE}.
     * What the kernel took is consumed from {@code data}.
     *
     * @return bytes written (0 when the send buffer is full), or a negative errno if the first
     *     batch failed; if a later batch fails, the bytes written so far (the error is reported
     *     by the next call)
     */
    @Override
    public long send(BufferList data, boolean more) {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        NativeScratch scratch = null;
        long total = 0;
        while (!data.isEmpty()) {
            if (scratch == null) {
                scratch = NativeScratch.current();
            }
            int segments = data.segmentCount();
            int iovecs = 0;
            long batch = 0;
            int copied = 0;
            // heap (and small direct) segments copied back to back into the scratch area share one iovec
            int copyIov = -1;
            int copyIovStart = 0;
            long firstBase = 0;
            for (int i = 0; i < segments && iovecs < NativeScratch.IOV_BATCH; i++) {
                ByteBuffer segment = data.segment(i);
                int length = segment.remaining();
                if (length == 0) {
                    continue;
                }
                if (segment.isDirect() && length > SMALL_DIRECT_COPY) {
                    long base = NativeBuffers.address(segment) + segment.position();
                    if (iovecs == 0) {
                        firstBase = base;
                    }
                    scratch.iovec(iovecs++, base, length);
                    batch += length;
                    copyIov = -1;
                    continue;
                }
                int take = Math.min(length, NativeScratch.COPY_SIZE - copied);
                if (take == 0) {
                    break;
                }
                scratch.copyBuffer().put(copied, segment, segment.position(), take);
                if (copyIov >= 0) {
                    scratch.iovec(copyIov, scratch.copyAddress() + copyIovStart, copied + take - copyIovStart);
                } else {
                    copyIov = iovecs;
                    copyIovStart = copied;
                    if (iovecs == 0) {
                        firstBase = scratch.copyAddress() + copied;
                    }
                    scratch.iovec(iovecs++, scratch.copyAddress() + copied, take);
                }
                copied += take;
                batch += take;
                if (take < length) {
                    break;
                }
            }
            boolean followed = more || batch < data.length();
            int flags = LibC.MSG_NOSIGNAL | (followed ? LibC.MSG_MORE : 0);
            // one iovec (e.g. small heap frames gathered in the copy area): plain send, no msghdr
            long n = iovecs == 1 ? NativeIo.send(fd, firstBase, batch, flags) : NativeIo.sendmsg(fd, scratch.msghdr(iovecs), flags);
            if (n < 0) {
                if (n == -Errno.EAGAIN || total > 0) {
                    return total;
                }
                return failed((int) n);
            }
            data.consume(n);
            total += n;
            if (n < batch) {
                break;
            }
        }
        return total;
    }

    @Override
    public int shutdownOutput() {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        return LibC.shutdown(fd, LibC.SHUT_WR) == 0 ? 0 : -LibC.errno();
    }

    /** @return the local address, read once when the socket was created; null if unknown. */
    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    /** @return the address connected to, or the peer {@code accept} reported. */
    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public EventLoopWorker worker() {
        return worker;
    }

    @Override
    protected void closeResource() {
        LibC.close(fd);
    }

    @Override
    public String toString() {
        return "native tcp fd " + fd + " " + (local == null ? "?" : SocketAddresses.format(local)) + " -> "
                + (remote == null ? "?" : SocketAddresses.format(remote));
    }

    /**
     * @return 0 if I/O may go ahead, or the negative errno every I/O call returns now: the stack
     *     shut down, the socket is closed, or its connect failed (the failure sticks; a read on a
     *     refused socket would otherwise look like end of stream once the error was taken)
     */
    private int refusal() {
        if (failedByStack) {
            return -Errno.ESHUTDOWN;
        }
        if (!isOpen()) {
            return -Errno.EBADF;
        }
        return connectState < 0 ? connectState : 0;
    }

    /** Keeps an error met while the connect was still pending as the connect's outcome. */
    private int failed(int negativeErrno) {
        if (connectState == CONNECTING && negativeErrno != -Errno.EAGAIN) {
            connectState = negativeErrno;
        }
        return negativeErrno;
    }

    private int checkConnect() {
        NativeScratch scratch = NativeScratch.current();
        scratch.intValue(0);
        scratch.socklen(Integer.BYTES);
        if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, scratch.intValueAddress(), scratch.socklenAddress()) < 0) {
            return -LibC.errno();
        }
        int error = scratch.intValue();
        if (error != 0) {
            return -error;
        }
        scratch.socklen(Long.BYTES);
        if (LibC.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_INFO, scratch.tcpInfoAddress(), scratch.socklenAddress()) < 0) {
            return -LibC.errno();
        }
        switch (scratch.tcpInfoState()) {
            case LibC.TCP_SYN_SENT:
                return CONNECTING;
            case LibC.TCP_CLOSE:
                // Failed, and the error was already taken (by a read or write): say so plainly.
                return -Errno.ENOTCONN;
            default:
                return CONNECTED;
        }
    }
}
