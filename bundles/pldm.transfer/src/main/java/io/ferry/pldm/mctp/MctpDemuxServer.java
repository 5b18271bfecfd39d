package io.ferry.pldm.mctp;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.net.Errno;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixException;
import io.ferry.unix.UnixSeqpacketServer;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry acting as the mctp-demux daemon: binds the abstract name ({@code "\0mctp-mux"} by
 * default) and serves libpldm-style requesters directly.
 *
 * <p>Each accepted client first sends one byte, the MCTP message type it registers for; only PLDM
 * (1) clients are served, others are closed with a logged reason (and a client that does not
 * register within {@link MctpConfig#registrationTimeoutMillis()} is closed too). Then each
 * {@code [eid][0x01][PLDM message]} a client sends to {@link MctpConfig#localEid()} is delivered
 * to the {@link MctpReceiver} with that client's connection as the {@link MctpLink}, so the
 * response goes back on the same socket as {@code [eid][0x01][response]}, the eid being the
 * source as libpldm expects. Packets shorter than the prefix and a PLDM header, truncated ones
 * and ones with another type byte are dropped and counted; after {@link MctpConfig#malformedLimit()}
 * of them that client (only) is closed. Packets to another eid are dropped and counted (there is
 * no MCTP binding behind this demux to forward them on). A client that hangs up is released at
 * once: file event, descriptor, queued packets.
 *
 * <p>{@link #send(int, ByteBuffer)} on the server itself sends to every registered PLDM client,
 * as the demux daemon does with a packet from the network.
 *
 * <p><b>Threading:</b> see {@link MctpTransport}; one center runs the listener and every client.
 * Per packet nothing is allocated: one receive buffer, one send buffer and one view, all direct,
 * are shared by the clients of this server (they run on one thread).
 */
public final class MctpDemuxServer extends SocketTransportLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(MctpDemuxServer.class);
    /** Connections accepted per readiness event of the listener. */
    private static final int ACCEPT_BATCH = 32;
    /** Pause of the listener after accept failed for lack of descriptors or memory. */
    private static final long ACCEPT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MctpConfig config;
    private final MctpReceiver receiver;
    private final MctpCounters counters = new MctpCounters();
    /** Center thread only. */
    private final List<SocketLink> links = new ArrayList<>();
    private UnixSeqpacketServer listener;
    private FileEvent listenEvent;
    private TimeEvent acceptRetry;
    private ByteBuffer rx;
    private ByteBuffer tx;
    private ByteBuffer view;
    private long nextClientId;

    /**
     * @param config where to bind, which eid to answer, limits
     * @param receiver gets every request on the center's thread
     */
    public MctpDemuxServer(MctpConfig config, MctpReceiver receiver) {
        this.config = Objects.requireNonNull(config, "config");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    @Override
    public void start(EventCenter center) throws IOException {
        beginStart(center);
        UnixSeqpacketServer bound;
        try {
            bound = UnixSeqpacketServer.bind(UnixAddress.abstractName(config.socketName()));
        } catch (IOException | RuntimeException e) {
            markClosed();
            throw e;
        }
        this.listener = bound;
        int packet = MctpFraming.PREFIX_LENGTH + config.maxMessageLength();
        this.rx = ByteBuffer.allocateDirect(packet);
        this.tx = ByteBuffer.allocateDirect(packet);
        this.view = rx.duplicate();
        this.center = center;
        if (center.inEventLoop()) {
            register();
        } else if (!center.execute(this::register)) {
            bound.close();
            markClosed();
            throw new IOException("event center " + center.name() + " is shut down");
        }
    }

    private void register() {
        if (released) {
            return;
        }
        try {
            listenEvent = center.createFileEvent(listener, EventMask.READABLE, this::onAccept);
            LOG.info("{}: listening for PLDM requesters", this);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot register the listener with {}: {}", this, center.name(), e.toString());
            release();
        }
    }

    private void onAccept(int readyMask) {
        if (center.isShutdown()) {
            release();
            return;
        }
        for (int i = 0; i < ACCEPT_BATCH && !released; i++) {
            UnixSeqpacketSocket socket;
            try {
                socket = listener.accept();
            } catch (UnixException e) {
                // EMFILE and friends: the listener would stay readable and spin; pause it a little.
                LOG.warn("{}: accept failed ({}); pausing the listener for {} ms", this, e.getMessage(),
                        TimeUnit.NANOSECONDS.toMillis(ACCEPT_RETRY_NANOS));
                listenEvent.setMask(EventMask.NONE);
                acceptRetry = center.createTimeEvent(ACCEPT_RETRY_NANOS, this::resumeAccepting);
                return;
            }
            if (socket == null) {
                return;
            }
            counters.countAccepted();
            if (links.size() >= config.maxClients()) {
                counters.countRejected();
                LOG.warn("{}: closing a new client at once: already {} clients (maxClients)", this, links.size());
                socket.close();
                continue;
            }
            SocketLink link = new SocketLink(center, socket, this, counters, tx, rx, config,
                    "client " + (nextClientId++) + " of " + this);
            try {
                link.register();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: cannot register a new client: {}", this, e.toString());
                continue;
            }
            links.add(link);
            link.registrationTimer = center.createTimeEvent(
                    TimeUnit.MILLISECONDS.toNanos(config.registrationTimeoutMillis()), () -> registrationTimedOut(link));
        }
    }

    private void resumeAccepting() {
        acceptRetry = null;
        if (!released && listenEvent != null) {
            listenEvent.setMask(EventMask.READABLE);
        }
    }

    private void registrationTimedOut(SocketLink link) {
        link.registrationTimer = null;
        if (link.isOpen() && !link.registered) {
            counters.countRejected();
            LOG.warn("{}: closing it: no MCTP type byte within {} ms", link, config.registrationTimeoutMillis());
            link.close(Errno.ETIMEDOUT, "no registration");
        }
    }

    @Override
    public void onPacket(SocketLink link, ByteBuffer packet, int length) {
        if (length == SocketLink.TRUNCATED) {
            counters.countMalformed();
            abused(link, "a packet longer than the maximum of " + config.maxMessageLength() + " bytes");
            return;
        }
        if (!link.registered) {
            register(link, packet.get(0) & 0xFF);
            return;
        }
        if (length < MctpFraming.PREFIX_LENGTH + MctpFraming.MIN_PLDM_MESSAGE) {
            counters.countMalformed();
            abused(link, "a packet too short for the prefix and a PLDM header");
            return;
        }
        if (MctpFraming.type(packet, 0) != MctpFraming.TYPE_PLDM) {
            counters.countUnknownType();
            abused(link, "a packet whose MCTP type is not PLDM");
            return;
        }
        int eid = MctpFraming.eid(packet, 0);
        if (eid != config.localEid()) {
            counters.countUnknownEid();
            return;
        }
        counters.countReceived();
        view.clear();
        view.limit(length).position(MctpFraming.MESSAGE_OFFSET);
        try {
            receiver.onMessage(link, eid, view);
        } catch (RuntimeException e) {
            LOG.error("{}: the receiver failed on a message from {}", this, link, e);
        }
    }

    private void register(SocketLink link, int type) {
        if (link.registrationTimer != null) {
            link.registrationTimer.cancel();
            link.registrationTimer = null;
        }
        if (type != MctpFraming.TYPE_PLDM) {
            counters.countUnknownType();
            counters.countRejected();
            LOG.info("{}: closing it: it registered MCTP message type {}, this demux serves only PLDM ({})", link,
                    type, MctpFraming.TYPE_PLDM);
            link.close(Errno.EPROTO, "unsupported MCTP message type " + type);
            return;
        }
        link.registered = true;
    }

    private void abused(SocketLink link, String what) {
        if (++link.abuse >= config.malformedLimit()) {
            counters.countRejected();
            LOG.warn("{}: closing it after {} bad packets; the last was {}", link, link.abuse, what);
            link.close(Errno.EPROTO, "too many bad packets");
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}: dropped {}", link, what);
        }
    }

    @Override
    public void onLinkClosed(SocketLink link, int errno, String reason) {
        links.remove(link);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: closed ({}, errno {})", link, reason, errno);
        }
        notifyLinkClosed(link);
    }

    @Override
    public void onCenterShutdown() {
        release();
    }

    /**
     * Sends to every registered PLDM client; see {@link MctpLink#send} for the codes.
     *
     * @return OK if at least one client took it, {@link #NO_ROUTE} if there is none, else the
     *     last client's code
     */
    @Override
    public int send(int eid, ByteBuffer message) {
        EventCenter c = center;
        if (c == null || !c.inEventLoop()) {
            return c == null ? NOT_CONNECTED : WRONG_THREAD;
        }
        if (released) {
            return NOT_CONNECTED;
        }
        int result = NO_ROUTE;
        // Backwards: a client that fails on send closes and leaves the list behind the cursor.
        for (int i = links.size() - 1; i >= 0; i--) {
            if (i >= links.size()) {
                continue;
            }
            SocketLink link = links.get(i);
            if (link.registered) {
                int rc = link.send(eid, message);
                if (rc == OK) {
                    result = OK;
                } else if (result != OK) {
                    result = rc;
                }
            }
        }
        return result;
    }

    @Override
    public boolean isOpen() {
        return state.get() == STARTED && !released;
    }

    /** Releases the listener and every client, on the center's thread; idempotent. */
    @Override
    void release() {
        if (released) {
            return;
        }
        released = true;
        state.set(CLOSED);
        if (acceptRetry != null) {
            acceptRetry.cancel();
            acceptRetry = null;
        }
        if (listenEvent != null) {
            listenEvent.cancel();
            listenEvent = null;
        }
        listener.close();
        for (SocketLink link : new ArrayList<>(links)) {
            link.close(0, "server closed");
        }
        links.clear();
        LOG.info("{}: closed ({})", this, counters);
        closeFuture.complete(null);
    }

    @Override
    public MctpCounters counters() {
        return counters;
    }

    /** @return the clients connected now (registered or not); center thread, or approximate. */
    public int clientCount() {
        return links.size();
    }

    /** @return the configuration. */
    public MctpConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "mctp-demux server @" + config.socketName() + " eid " + config.localEid();
    }
}
