package io.ferry.netstack.shm.client;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import io.ferry.netstack.shm.dgram.DatagramEndpoint;
import io.ferry.netstack.shm.dgram.SourceAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A datagram endpoint (UDP-like, PROTOCOL.md section 8) bound to a name on the shm server, from
 * {@link ShmClient#openDatagram(String)}: {@link #send} to any bound name, {@link #receive} from
 * any, with the sender's name. The server routes each datagram whole into the destination's ring,
 * or drops it (unknown name, or no room there now): datagrams are not reliable, as with UDP.
 *
 * <p><b>Results</b> are return codes: the payload length, or {@code -EAGAIN} (EWOULDBLOCK:
 * non-blocking and no room / nothing there; blocking: timeout), {@code -EMSGSIZE} (the datagram can
 * never fit: over 65535 bytes or longer than the ring takes at once, see {@link #maxPayload}),
 * {@code -EINVAL} (a destination name of 0 or more than 255 bytes), {@code -EPIPE} (the server
 * closed the endpoint), {@code -EPROTO}, {@code -EBADF}.
 *
 * <p><b>Threading:</b> one thread at a time; hand it over through a happens-before edge.
 * Sending and receiving allocate nothing except {@link #lastSource()}'s address object.
 */
public final class ShmDatagramSocket implements AutoCloseable {
    private final long channelId;
    private final ShmAddress localAddress;
    private final DatagramEndpoint endpoint;
    private final SourceAddress source = new SourceAddress();
    private boolean blocking = true;
    private long timeoutNanos = Long.MAX_VALUE;
    private ShmAddress lastSource;

    ShmDatagramSocket(long channelId, StreamChannelEnd end, ShmAddress localAddress) {
        this.channelId = channelId;
        this.localAddress = localAddress;
        this.endpoint = new DatagramEndpoint(end);
    }

    /**
     * Sends {@code payload}'s remaining bytes as one datagram to {@code to}; its position advances
     * only when sent. Blocking mode waits for room in this endpoint's outgoing ring.
     *
     * @return the payload length, or a negative errno (class doc)
     */
    public int send(ShmAddress to, ByteBuffer payload) {
        byte[] name = to.name().getBytes(StandardCharsets.UTF_8);
        return endpoint.send(name, name.length, payload, blocking ? timeoutNanos : 0);
    }

    /**
     * Receives one datagram into {@code dst} (what does not fit is dropped: {@link #lastTruncated()});
     * blocking mode waits for one.
     *
     * @return the datagram's full payload length, or a negative errno (class doc)
     */
    public int receive(ByteBuffer dst) {
        lastSource = null;
        return endpoint.receive(dst, source, blocking ? timeoutNanos : 0);
    }

    /** @return the sender of the last datagram {@link #receive} returned (allocates once per datagram asked). */
    public ShmAddress lastSource() {
        if (lastSource == null && source.length() > 0) {
            lastSource = source.toAddress();
        }
        return lastSource;
    }

    /** @return true if the last datagram received was longer than the buffer given. */
    public boolean lastTruncated() {
        return source.truncated();
    }

    /** @return the largest payload a datagram to {@code to} may carry, or -1 if none fits. */
    public int maxPayload(ShmAddress to) {
        return endpoint.maxPayload(to.name().getBytes(StandardCharsets.UTF_8).length);
    }

    /** @param blocking true (the default) to wait in send and receive, false for {@code -EAGAIN}. */
    public void configureBlocking(boolean blocking) {
        this.blocking = blocking;
    }

    /** @param timeoutNanos bound of each blocking send or receive, &gt;= 0 ({@link Long#MAX_VALUE}: none, the default) */
    public void setTimeoutNanos(long timeoutNanos) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
    }

    /** @return the eventfd to poll for {@code POLLIN}: a datagram (or the endpoint's close) arrived. */
    public int pollFd() {
        return endpoint.end().readFd();
    }

    /** @return the eventfd to poll for {@code POLLIN}: room freed after a send returned {@code -EAGAIN}. */
    public int writePollFd() {
        return endpoint.end().writeFd();
    }

    /** @return the name this endpoint is bound to (datagrams it sends carry it as their source). */
    public ShmAddress localAddress() {
        return localAddress;
    }

    /** @return datagrams sent and received so far. */
    public long sent() {
        return endpoint.sent();
    }

    public long received() {
        return endpoint.received();
    }

    /** Closes the endpoint: the name is released, the memory unmapped, the server told (CLOSE). Idempotent. */
    @Override
    public void close() {
        endpoint.close();
    }

    StreamChannelEnd end() {
        return endpoint.end();
    }

    int closeReason() {
        return endpoint.isBroken() ? Errno.EPROTO : 0;
    }

    @Override
    public String toString() {
        return "ShmDatagramSocket[" + localAddress + ", channel " + channelId + "]";
    }
}
