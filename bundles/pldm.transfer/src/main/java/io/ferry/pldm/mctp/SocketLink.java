package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.net.Errno;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One mctp-demux connection: a {@link UnixSeqpacketSocket} registered with an event center, its
 * bounded {@link SendQueue}, and the reading loop that hands whole datagrams to its owner. Used
 * for each client of a {@link MctpDemuxServer} and for the {@link MctpDemuxClient}'s connection
 * to the daemon.
 *
 * <p>Everything runs on the center's thread; {@link #send} from another thread returns
 * {@link MctpTransport#WRONG_THREAD}; {@link #isOpen()} any thread.
 */
final class SocketLink implements MctpLink {
    /** Datagrams read per readiness event, so one busy client cannot starve the others. */
    static final int READ_BATCH = 64;
    /** Passed to {@link Owner#onPacket} for a datagram longer than the receive buffer. */
    static final int TRUNCATED = -1;

    /** The transport that owns the link; called on the center's thread. */
    interface Owner {
        /**
         * A datagram arrived: {@code rx} holds it from index 0 to {@code length}, or
         * {@code length} is {@link #TRUNCATED}. {@code rx} is shared; do not keep it.
         */
        void onPacket(SocketLink link, ByteBuffer rx, int length);

        /** The link closed and released everything; {@code errno} is 0 for a hang-up or a local close. */
        void onLinkClosed(SocketLink link, int errno, String reason);

        /** The center is shutting down (this is the file event's final firing): release the whole transport. */
        void onCenterShutdown();
    }

    private final EventCenter center;
    private final UnixSeqpacketSocket socket;
    private final Owner owner;
    private final MctpCounters counters;
    private final ByteBuffer tx;
    private final ByteBuffer rx;
    private final int maxMessageLength;
    private final SendQueue queue;
    private final String name;
    private FileEvent event;
    private volatile boolean open = true;
    private boolean closed;
    /** Server side: whether the client has sent its type byte. */
    boolean registered;
    /** Server side: malformed or wrongly typed packets so far. */
    int abuse;
    /** Server side: closes the client if it does not register in time. */
    TimeEvent registrationTimer;

    SocketLink(EventCenter center, UnixSeqpacketSocket socket, Owner owner, MctpCounters counters, ByteBuffer tx,
            ByteBuffer rx, MctpConfig config, String name) {
        this.center = center;
        this.socket = socket;
        this.owner = owner;
        this.counters = counters;
        this.tx = tx;
        this.rx = rx;
        this.maxMessageLength = config.maxMessageLength();
        this.queue = new SendQueue(config.queueCapacity(), MctpFraming.PREFIX_LENGTH + config.maxMessageLength());
        this.name = name;
    }

    /** Registers the socket for reading; on failure the socket is closed and the exception rethrown. */
    void register() throws IOException {
        try {
            event = center.createFileEvent(socket, EventMask.READABLE, this::onFileEvent);
        } catch (IOException | RuntimeException e) {
            open = false;
            closed = true;
            socket.close();
            throw e;
        }
    }

    @Override
    public int send(int eid, ByteBuffer message) {
        if (!center.inEventLoop()) {
            return MctpTransport.WRONG_THREAD;
        }
        if (!open) {
            return MctpTransport.NOT_CONNECTED;
        }
        int length = message.remaining();
        if (eid < 0 || eid > MctpFraming.MAX_EID || length == 0) {
            return MctpTransport.INVALID_ARGUMENT;
        }
        if (length > maxMessageLength) {
            return MctpTransport.TOO_LARGE;
        }
        if (!queue.isEmpty()) {
            return enqueue(eid, message); // keep the order behind packets already waiting
        }
        MctpFraming.encode(tx, eid, MctpFraming.TYPE_PLDM, message);
        int rc = socket.send(tx);
        if (rc >= 0) {
            counters.countSent();
            return MctpTransport.OK;
        }
        if (rc == -Errno.EAGAIN) {
            return enqueue(eid, message);
        }
        if (rc == -Errno.EMSGSIZE) {
            return MctpTransport.TOO_LARGE;
        }
        close(-rc, "send failed: errno " + -rc);
        return MctpTransport.NOT_CONNECTED;
    }

    private int enqueue(int eid, ByteBuffer message) {
        if (queue.isFull()) {
            counters.countBackPressured();
            return MctpTransport.BACK_PRESSURED;
        }
        queue.offer(eid, message);
        event.setMask(EventMask.ALL);
        return MctpTransport.OK;
    }

    private void onFileEvent(int readyMask) {
        if (center.isShutdown()) {
            owner.onCenterShutdown();
            return;
        }
        if ((readyMask & EventMask.WRITABLE) != 0 && !flush()) {
            return;
        }
        if ((readyMask & EventMask.READABLE) != 0) {
            read();
        }
    }

    /** @return false if the link closed */
    private boolean flush() {
        ByteBuffer packet;
        while ((packet = queue.peek()) != null) {
            int rc = socket.send(packet);
            if (rc == -Errno.EAGAIN) {
                return true; // still full: stay interested in WRITABLE
            }
            if (rc < 0) {
                close(-rc, "send of a queued packet failed: errno " + -rc);
                return false;
            }
            counters.countSent();
            queue.pop();
        }
        if (open && event.mask() != EventMask.READABLE) {
            event.setMask(EventMask.READABLE);
        }
        return open;
    }

    private void read() {
        for (int i = 0; i < READ_BATCH && open; i++) {
            rx.clear();
            int rc = socket.receive(rx);
            if (rc == -Errno.EAGAIN) {
                return;
            }
            if (rc == 0) {
                close(0, "peer hung up");
                return;
            }
            if (rc == UnixSeqpacketSocket.TRUNCATED) {
                owner.onPacket(this, rx, TRUNCATED);
            } else if (rc < 0) {
                close(-rc, "receive failed: errno " + -rc);
                return;
            } else {
                owner.onPacket(this, rx, rc);
            }
        }
    }

    /**
     * Releases everything, on the center's thread: the registration timer, the file event (before
     * the descriptor, whose number the kernel reuses), the descriptor and the queued packets
     * (counted as dropped). Then tells the owner. Idempotent.
     */
    void close(int errno, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        if (registrationTimer != null) {
            registrationTimer.cancel();
            registrationTimer = null;
        }
        if (event != null) {
            event.cancel();
            event = null;
        }
        socket.close();
        int dropped = queue.clear();
        if (dropped > 0) {
            counters.countDroppedOnClose(dropped);
        }
        owner.onLinkClosed(this, errno, reason);
    }

    /** @return packets waiting for the socket to become writable. */
    int queued() {
        return queue.size();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String toString() {
        return name;
    }
}
