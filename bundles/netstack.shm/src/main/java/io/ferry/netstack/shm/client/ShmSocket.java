package io.ferry.netstack.shm.client;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import java.nio.ByteBuffer;

/**
 * A stream connection (TCP-like) of an {@link ShmClient}: bytes go through two rings in shared
 * memory; the peer is another client process or a service inside the node.
 *
 * <p><b>Modes.</b> Blocking by default, like a JDK socket: {@link #read} waits for at least one
 * byte (or end of stream), {@link #write} for room for all of it, each at most
 * {@link #setTimeoutNanos timeout} (forever by default; on timeout {@code -EAGAIN}, the
 * {@code SO_RCVTIMEO} convention). Non-blocking ({@code configureBlocking(false)}): both return
 * {@code -EAGAIN} (EWOULDBLOCK) at once when nothing can be done; poll {@link #pollFd()} for
 * {@code POLLIN} to learn when data (or end of stream) arrived and {@link #writePollFd()} for
 * {@code POLLIN} to learn that space freed, edge-style: read until {@code -EAGAIN}/0 and write until
 * {@code -EAGAIN} before polling again. Busy-poll mode ({@link #setBusyPoll}, off by default) makes
 * the blocking waits spin instead of sleeping: lowest latency, one core burnt.
 *
 * <p><b>Results.</b> Counts, or negative errno: {@code 0} from a read is end of stream (the peer
 * shut down its output or closed, and everything was read); {@code -EPIPE} writing after
 * {@link #shutdownOutput()} or after the peer closed (or died: the server closes a dead peer's
 * side for it); {@code -EPROTO} the peer corrupted the shared indexes (close the socket);
 * {@code -EBADF} after {@link #close()}. Never an exception on the I/O path.
 *
 * <p><b>Threading.</b> One thread at a time (including {@link #close()}); hand the socket to
 * another thread through a happens-before edge. Statistics getters: any thread.
 */
public final class ShmSocket implements AutoCloseable {

    private final ShmClient client;
    private final long channelId;
    private final StreamChannelEnd end;
    private final ShmAddress localAddress;
    private final ShmAddress remoteAddress;
    private boolean blocking = true;
    private long timeoutNanos = Long.MAX_VALUE;
    private volatile int peerCloseReason;

    ShmSocket(ShmClient client, long channelId, StreamChannelEnd end, ShmAddress localAddress, ShmAddress remoteAddress) {
        this.client = client;
        this.channelId = channelId;
        this.end = end;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Reads into {@code dst} from its position.
     *
     * @return bytes read, 0 at end of stream (or if {@code dst} is full), {@code -EAGAIN} (non-blocking:
     *     nothing yet; blocking: timeout), {@code -EPROTO}, {@code -EBADF}
     */
    public int read(ByteBuffer dst) {
        return blocking ? end.read(dst, timeoutNanos) : end.read(dst);
    }

    /**
     * Writes from {@code src}'s position: blocking, all of it (fewer bytes only on timeout or
     * error); non-blocking, what fits now.
     *
     * @return bytes written, {@code -EAGAIN}, {@code -EPIPE}, {@code -EPROTO}, {@code -EBADF}
     */
    public int write(ByteBuffer src) {
        return blocking ? end.write(src, timeoutNanos) : end.write(src);
    }

    /** Blocking read with an explicit timeout, whatever the mode. @see #read(ByteBuffer) */
    public int read(ByteBuffer dst, long timeoutNanos) {
        return end.read(dst, timeoutNanos);
    }

    /** Blocking write with an explicit timeout, whatever the mode. @see #write(ByteBuffer) */
    public int write(ByteBuffer src, long timeoutNanos) {
        return end.write(src, timeoutNanos);
    }

    /** Half-close: the peer reads what was written, then end of stream; reading goes on. @return 0 or a negative errno */
    public int shutdownOutput() {
        return end.shutdownOutput();
    }

    /** @param blocking true (the default) for blocking reads and writes, false for {@code -EAGAIN}. */
    public void configureBlocking(boolean blocking) {
        this.blocking = blocking;
    }

    /** @return true in blocking mode. */
    public boolean isBlocking() {
        return blocking;
    }

    /** @param timeoutNanos bound of each blocking read or write, &gt;= 0 ({@link Long#MAX_VALUE}: none, the default) */
    public void setTimeoutNanos(long timeoutNanos) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
    }

    /** @param busyPoll spin instead of sleeping in blocking waits (off by default). */
    public void setBusyPoll(boolean busyPoll) {
        end.setBusyPoll(busyPoll);
    }

    /** @return the eventfd to poll for {@code POLLIN}: data or end of stream arrived (see the class doc). */
    public int pollFd() {
        return end.readFd();
    }

    /** @return the eventfd to poll for {@code POLLIN}: space freed after a write returned {@code -EAGAIN}. */
    public int writePollFd() {
        return end.writeFd();
    }

    /** @return this end's address ({@code pid:<pid>/<n>} for a connector, the listener's name for an accepted socket). */
    public ShmAddress localAddress() {
        return localAddress;
    }

    /** @return the peer's address. */
    public ShmAddress remoteAddress() {
        return remoteAddress;
    }

    /** @return the channel id the server gave this connection. */
    public long channelId() {
        return channelId;
    }

    /**
     * @return the reason the server gave when the peer's side closed ({@code 0} orderly,
     *     {@code ECONNRESET} the peer process died, {@code EPROTO} it found our indexes corrupt),
     *     or -1 while the server has not said so
     */
    public int peerCloseReason() {
        return peerCloseReason;
    }

    void peerClosed(int reason) {
        peerCloseReason = reason;
    }

    /** @return bytes written so far. */
    public long bytesWritten() {
        return end.bytesWritten();
    }

    /** @return bytes read so far. */
    public long bytesRead() {
        return end.bytesRead();
    }

    /** @return eventfd writes made to wake the peer's reader, vs. {@link #dataWakeupsSkipped()}. */
    public long dataWakeupsSent() {
        return end.dataWakeupsSent();
    }

    /** @return wake-up decisions that skipped the eventfd (the peer was busy). */
    public long dataWakeupsSkipped() {
        return end.dataWakeupsSkipped();
    }

    /** @return true once closed. */
    public boolean isClosed() {
        return end.isClosed();
    }

    /**
     * Closes this end (the peer reads the rest, then end of stream; its writes get
     * {@code -EPIPE}), unmaps the channel, closes its descriptors and tells the server (CLOSE).
     * Idempotent.
     */
    @Override
    public void close() {
        end.close();
    }

    /** Broken channels say so when closing. */
    int closeReason() {
        return end.isBroken() ? Errno.EPROTO : 0;
    }

    @Override
    public String toString() {
        return "ShmSocket[" + localAddress + " -> " + remoteAddress + ", channel " + channelId + ", " + end + "]";
    }
}
