package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry as a client of an existing mctp-demux daemon (or of an {@link MctpDemuxServer}): connects
 * to the abstract name, registers for PLDM with the one type byte, then sends
 * {@code [destination eid][0x01][message]} and receives {@code [source eid][0x01][message]}.
 *
 * <p>Packets shorter than the prefix and a PLDM header, truncated ones and ones of another type
 * are dropped and counted (the daemon is the only peer, so it is not disconnected for them). When
 * the daemon hangs up or the socket fails, the client releases everything and tells its
 * {@link MctpFaultListener} once, on the center's thread, never from inside {@link #send}. It
 * does not reconnect: its owner creates a new client.
 *
 * <p><b>Threading:</b> see {@link MctpTransport}. Per packet nothing is allocated.
 */
public final class MctpDemuxClient extends SocketTransportLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(MctpDemuxClient.class);

    private final MctpConfig config;
    private final MctpReceiver receiver;
    private final MctpFaultListener faultListener;
    private final MctpCounters counters = new MctpCounters();
    private UnixSeqpacketSocket socket;
    private SocketLink link;
    private ByteBuffer rx;
    private ByteBuffer tx;
    private ByteBuffer view;

    /**
     * @param config the daemon's socket name and the limits ({@link MctpConfig#localEid()} is not used)
     * @param receiver gets every PLDM message on the center's thread, with the source eid
     * @param faultListener told once when the connection fails; {@link MctpFaultListener#NONE} for none
     */
    public MctpDemuxClient(MctpConfig config, MctpReceiver receiver, MctpFaultListener faultListener) {
        this.config = Objects.requireNonNull(config, "config");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.faultListener = Objects.requireNonNull(faultListener, "faultListener");
    }

    /**
     * Connects and registers for PLDM on the calling thread (a Unix connect is made or refused at
     * once), then registers the socket with {@code center}.
     *
     * @throws IOException {@code ECONNREFUSED} when no daemon listens, {@code EAGAIN} when its
     *     backlog is full, or the type byte could not be sent; nothing is left open
     */
    @Override
    public void start(EventCenter center) throws IOException {
        beginStart(center);
        UnixSeqpacketSocket connected = null;
        try {
            connected = UnixSeqpacketSocket.connect(UnixAddress.abstractName(config.socketName()));
            int rc = connected.send(ByteBuffer.wrap(new byte[] {(byte) MctpFraming.TYPE_PLDM}));
            if (rc != MctpFraming.REGISTRATION_LENGTH) {
                throw new IOException("cannot register for PLDM with the demux @" + config.socketName() + ": errno " + -rc);
            }
        } catch (IOException | RuntimeException e) {
            if (connected != null) {
                connected.close();
            }
            markClosed();
            throw e;
        }
        this.socket = connected;
        int packet = MctpFraming.PREFIX_LENGTH + config.maxMessageLength();
        this.rx = ByteBuffer.allocateDirect(packet);
        this.tx = ByteBuffer.allocateDirect(packet);
        this.view = rx.duplicate();
        this.center = center;
        if (center.inEventLoop()) {
            register();
        } else if (!center.execute(this::register)) {
            connected.close();
            markClosed();
            throw new IOException("event center " + center.name() + " is shut down");
        }
    }

    private void register() {
        if (released) {
            socket.close();
            return;
        }
        SocketLink l = new SocketLink(center, socket, this, counters, tx, rx, config, toString());
        l.registered = true;
        try {
            l.register();
            link = l;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot register with {}: {}", this, center.name(), e.toString());
            released = true;
            markClosed();
            notifyFault(0, "cannot register with the event center: " + e);
        }
    }

    @Override
    public void onPacket(SocketLink from, ByteBuffer packet, int length) {
        if (length == SocketLink.TRUNCATED || length < MctpFraming.PREFIX_LENGTH + MctpFraming.MIN_PLDM_MESSAGE) {
            counters.countMalformed();
            return;
        }
        if (MctpFraming.type(packet, 0) != MctpFraming.TYPE_PLDM) {
            counters.countUnknownType();
            return;
        }
        counters.countReceived();
        view.clear();
        view.limit(length).position(MctpFraming.MESSAGE_OFFSET);
        try {
            receiver.onMessage(this, MctpFraming.eid(packet, 0), view);
        } catch (RuntimeException e) {
            LOG.error("{}: the receiver failed", this, e);
        }
    }

    @Override
    public void onLinkClosed(SocketLink closed, int errno, String reason) {
        boolean fault = !released;
        released = true;
        link = null;
        markClosed();
        notifyLinkClosed(this);
        if (fault) {
            LOG.warn("{}: connection to the demux lost: {} ({})", this, reason, counters);
            notifyFault(errno, reason);
        }
    }

    /** Tells the listener later on the center's thread, so never from inside send or a receiver. */
    private void notifyFault(int errno, String reason) {
        center.execute(() -> {
            try {
                faultListener.onFault(this, errno, reason);
            } catch (RuntimeException e) {
                LOG.error("{}: the fault listener failed", this, e);
            }
        });
    }

    @Override
    public void onCenterShutdown() {
        release();
    }

    @Override
    public int send(int eid, ByteBuffer message) {
        EventCenter c = center;
        if (c == null) {
            return NOT_CONNECTED;
        }
        if (!c.inEventLoop()) {
            return WRONG_THREAD;
        }
        SocketLink l = link;
        return l == null ? NOT_CONNECTED : l.send(eid, message);
    }

    @Override
    public boolean isOpen() {
        SocketLink l = link;
        return state.get() == STARTED && l != null && l.isOpen();
    }

    /** Releases the connection on the center's thread; idempotent; no fault is reported. */
    @Override
    void release() {
        if (released) {
            return;
        }
        released = true;
        state.set(CLOSED);
        SocketLink l = link;
        if (l != null) {
            l.close(0, "closed"); // calls onLinkClosed, which completes the future
        } else {
            socket.close();
            closeFuture.complete(null);
        }
    }

    @Override
    public MctpCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return "mctp-demux client of @" + config.socketName();
    }
}
