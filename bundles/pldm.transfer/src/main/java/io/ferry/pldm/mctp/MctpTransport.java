package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The transport SPI for PLDM messages over MCTP: start on an {@link EventCenter}, {@link #send}
 * with return codes, receive through the {@link MctpReceiver} given at construction, count what
 * happened, {@link #close()}.
 *
 * <p><b>Threading.</b> {@link #start}, {@link #close()}, {@link #closeFuture()},
 * {@link #counters()} and {@link #isOpen()} may be called from any thread. {@link #send} only on
 * the owning center's thread (from a receiver, a file or time event, or a task passed to
 * {@link EventCenter#execute}); other threads get {@link #WRONG_THREAD}. The receiver and the
 * fault listener are called on that thread.
 *
 * <p><b>Lifecycle.</b> {@code start} once; a second call throws {@link IllegalStateException}.
 * {@code close} is idempotent and asynchronous: the release (file events cancelled, descriptors
 * closed, queued packets dropped and counted) happens on the center's thread, and
 * {@link #closeFuture()} completes when it is done. When the center shuts down first, the
 * transport releases everything during the shutdown.
 */
public interface MctpTransport extends MctpLink, AutoCloseable {
    /** Sent, or queued behind earlier packets to be flushed when the socket becomes writable. */
    int OK = 0;
    /** The peer's send queue is full; nothing was taken. Retry after the peer drains. */
    int BACK_PRESSURED = -1;
    /** Not started, closed, or the peer has gone. */
    int NOT_CONNECTED = -2;
    /** The message is longer than the configured maximum. */
    int TOO_LARGE = -3;
    /** An empty message or an eid outside 0..255. */
    int INVALID_ARGUMENT = -4;
    /** Called from a thread other than the owning center's. */
    int WRONG_THREAD = -5;
    /** No peer serves this eid (in-JVM transport, or a demux server with no PLDM client). */
    int NO_ROUTE = -6;

    /**
     * Opens the transport's descriptors (bind or connect, which do not block on Unix sockets) on
     * the calling thread and registers them with {@code center} through {@link EventCenter#execute}.
     *
     * @throws IOException if the socket cannot be bound or connected (for example
     *     {@code EADDRINUSE}, {@code ECONNREFUSED}), or the center is shut down; nothing is left open
     * @throws IllegalStateException if already started or closed
     */
    void start(EventCenter center) throws IOException;

    /**
     * Broadcast or unicast send on the transport as a whole; see {@link MctpLink#send} for the
     * codes. For a demux server this goes to every PLDM client (as the demux daemon forwards a
     * packet from the network); for a demux client and the in-JVM transport to the peer.
     */
    @Override
    int send(int eid, ByteBuffer message);

    /**
     * Sets the listener told when a link of this transport closes (see {@link MctpLinkListener});
     * {@link MctpLinkListener#NONE} by default. Call before {@link #start}; any thread.
     */
    void setLinkListener(MctpLinkListener listener);

    /** Closes the transport; idempotent, any thread, returns at once. */
    @Override
    void close();

    /** @return a future completed (on the center's thread, or at once) when {@link #close()} finished releasing everything. */
    CompletableFuture<Void> closeFuture();

    /** @return this transport's counters; readable from any thread. */
    MctpCounters counters();

    /** @return a short description for logs, such as {@code "mctp-demux server @mctp-mux eid 8"}. */
    @Override
    String toString();

    /** @return a text for a return code of {@link #send}. */
    static String describe(int code) {
        switch (code) {
            case OK: return "ok";
            case BACK_PRESSURED: return "back-pressured";
            case NOT_CONNECTED: return "not connected";
            case TOO_LARGE: return "too large";
            case INVALID_ARGUMENT: return "invalid argument";
            case WRONG_THREAD: return "wrong thread";
            case NO_ROUTE: return "no route";
            default: return "code " + code;
        }
    }
}
