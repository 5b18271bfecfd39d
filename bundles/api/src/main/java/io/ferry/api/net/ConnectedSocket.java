package io.ferry.api.net;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.Pollable;
import io.ferry.api.event.Worker;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A full-duplex byte stream between two endpoints (Ceph's {@code ConnectedSocket}), always
 * non-blocking. Register it with {@link #worker()}'s event center and react to readiness.
 *
 * <p><b>Return codes:</b> I/O methods never throw for flow control or peer failures. They return
 * a count, or a negative {@link Errno}: a read returns {@code -EAGAIN} when nothing can be read
 * now, a write or send returns a short count (possibly 0) when the stack is full — then wait for
 * the matching event; {@code -ECONNRESET}, {@code -EPIPE}, {@code -ECONNREFUSED} and so on for
 * failures, after which the socket is only good for {@link #close()}.
 *
 * <p><b>Threading:</b> only the event-loop thread of {@link #worker()} may call the I/O methods.
 * {@link #close()} and the address getters may be called from any thread; a close from another
 * thread is carried out on the owner's loop.
 *
 * <p><b>Shutdown:</b> when the stack goes away (its bundle stops), every open socket is closed and
 * reports the readiness needed for its next read or write to return {@code -ESHUTDOWN}, so no
 * caller waits for ever.
 */
@ProviderType
public interface ConnectedSocket extends Pollable, AutoCloseable {

    /**
     * @return 1 when connected, 0 while a non-blocking connect is in progress (wait for
     *     {@link io.ferry.api.event.EventMask#WRITABLE}), or a negative errno when the connect
     *     failed (e.g. {@code -ECONNREFUSED})
     */
    int isConnected();

    /**
     * Reads into {@code dst} from its position.
     *
     * @return bytes read (> 0), 0 at end of stream (the peer shut down its side), or a negative
     *     errno ({@code -EAGAIN} when nothing is available, {@code -EINVAL} when {@code dst} has
     *     no room, so that 0 always means end of stream)
     */
    int read(ByteBuffer dst);

    /**
     * Whether a {@link #read} that returns fewer bytes than {@code dst} had room for took all
     * the stack held at that moment, with every later arrival reported as new readiness (also
     * under {@link io.ferry.api.event.EventMask#EDGE_TRIGGERED}). A kernel TCP socket behaves so.
     * An owner may then stop reading at a short read, saving the system call that would only
     * return {@code -EAGAIN}, and ask for edge-triggered readiness. When false (the default),
     * read until {@code -EAGAIN} with level-triggered readiness. Any thread; constant for the
     * socket's life.
     *
     * @since 1.1
     */
    default boolean shortReadDrains() {
        return false;
    }

    /**
     * Writes as much of {@code data} as the stack takes now and removes what was written from
     * its front (Ceph's {@code send(bufferlist&, bool more)}). Segments are written without
     * copying where the stack allows (gathering writes).
     *
     * @param more true if the caller will send more right away (a hint to delay a partial segment)
     * @return bytes written (>= 0; less than the length means the stack is full: wait for
     *     {@link io.ferry.api.event.EventMask#WRITABLE}), or a negative errno
     */
    long send(BufferList data, boolean more);

    /**
     * Writes from {@code src}'s position without blocking.
     *
     * @return bytes written (>= 0) or a negative errno
     */
    int write(ByteBuffer src);

    /** Half-closes the sending side: the peer reads end of stream after the data already sent. @return 0 or a negative errno */
    int shutdownOutput();

    /** @return the local address, or null if unknown. */
    SocketAddress localAddress();

    /** @return the peer address, or null if unknown. */
    SocketAddress remoteAddress();

    /** @return the worker whose event loop owns this socket. */
    Worker worker();

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /** Closes the socket and releases its worker assignment; idempotent, any thread. */
    @Override
    void close();
}
