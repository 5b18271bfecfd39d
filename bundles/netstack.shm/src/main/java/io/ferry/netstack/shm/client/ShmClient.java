package io.ferry.netstack.shm.client;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.channel.StreamChannelDescriptor;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import io.ferry.netstack.shm.control.ControlMessageDecoder;
import io.ferry.netstack.shm.control.ControlMessageDescriptor;
import io.ferry.netstack.shm.control.ControlMessageEncoder;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.EventFd;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixException;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process's connection to the node's shm server: listen on names, connect to names, and get
 * {@link ShmSocket}s whose bytes travel through shared memory. Plain Java: runs in any JVM with
 * this bundle's jar, {@code io.ferry.unix}, {@code io.ferry.api} and JNA on the class path.
 *
 * <pre>{@code
 * try (ShmClient client = ShmClient.connect(ShmClient.defaultSocketPath())) {
 *     ShmSocket socket = client.connect("node/echo");
 *     socket.write(ByteBuffer.wrap("ping".getBytes()));
 *     int n = socket.read(ByteBuffer.allocate(64));
 * }
 * }</pre>
 *
 * <p><b>Threading.</b> Every method of the client and its listeners may be called from any
 * thread: control traffic is serialized by one lock, and waits (for a reply, for an ACCEPT) sleep
 * without holding it. Sockets are used by one thread at a time each (see {@link ShmSocket}).
 * Control messages are read whenever some thread calls into the client (a request, an accept);
 * a process that only moves bytes over existing sockets need not call anything else — a peer's
 * close or death reaches the sockets through shared memory.
 *
 * <p><b>Errors.</b> Requests throw {@link UnixException} with the server's errno:
 * {@code ECONNREFUSED} (nobody listens, or the listener accepts no more), {@code EADDRINUSE} (the
 * name is taken), {@code EACCES} (a reserved name), {@code EMFILE} (the client's channel limit),
 * {@code EINVAL}, {@code ETIMEDOUT} (no answer within the client's timeout, 10 s by default),
 * {@code ECONNRESET} (the server is gone).
 */
public final class ShmClient implements AutoCloseable {

    /** Default bound of one request (connect, listen) and of the HELLO exchange. */
    public static final long DEFAULT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Default backlog of a listener. */
    public static final int DEFAULT_BACKLOG = 128;
    private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ShmClientConnection connection;
    private final UnixSeqpacketSocket socket;
    private final int pid;
    private final long timeoutNanos;
    private final Object lock = new Object();
    private final ByteBuffer in = ByteBuffer.allocateDirect(ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1)
            .order(ControlMessageDescriptor.BYTE_ORDER);
    private final ByteBuffer out = ByteBuffer.allocateDirect(ControlMessageDescriptor.MAX_MESSAGE_LENGTH)
            .order(ControlMessageDescriptor.BYTE_ORDER);
    private final int[] fds = new int[ControlMessageDescriptor.CHANNEL_FD_COUNT];
    private final ControlMessageDecoder decoder = new ControlMessageDecoder();
    private final Map<Long, Object> replies = new HashMap<>();
    private final Map<Long, ShmListener> listeners = new HashMap<>();
    private final Map<Long, ShmSocket> sockets = new HashMap<>();
    private final Map<Long, ShmDatagramSocket> datagramSockets = new HashMap<>();
    /** Names of DGRAM_OPEN requests awaiting their DGRAM_READY, by request id. */
    private final Map<Long, String> pendingDatagramNames = new HashMap<>();
    private long nextRequestId = 1; // HELLO used 1
    /** An ACCEPT waiting for its CHANNEL_READY. */
    private long acceptListenerId;
    private String acceptPeerAddress;
    private boolean acceptPending;
    private boolean closed;
    private int serverGone; // errno once the control connection broke

    /** A failed request, as the server answered. */
    private record Failure(int errno, String text) {
    }

    private ShmClient(ShmClientConnection connection, long timeoutNanos) {
        this.connection = connection;
        this.socket = connection.socket();
        this.pid = (int) ProcessHandle.current().pid();
        this.timeoutNanos = timeoutNanos;
    }

    /** @return the server's default socket path for this uid ({@code $XDG_RUNTIME_DIR/ferry/shm.sock} or {@code /tmp/ferry-<uid>/shm.sock}). */
    public static Path defaultSocketPath() throws IOException {
        return ShmControlServer.defaultSocketPath(ShmControlServer.currentUid());
    }

    /** Connects with the default timeout. @see #connect(Path, long) */
    public static ShmClient connect(Path socketPath) throws UnixException {
        return connect(socketPath, DEFAULT_TIMEOUT_NANOS);
    }

    /**
     * Connects to the server at {@code socketPath} and runs HELLO.
     *
     * @param timeoutNanos bound of the HELLO exchange and, later, of each request
     * @throws UnixException {@code ENOENT}/{@code ECONNREFUSED} (no server), {@code EACCES} (refused
     *     by its peer policy), {@code ETIMEDOUT}, {@code EPROTO}
     */
    public static ShmClient connect(Path socketPath, long timeoutNanos) throws UnixException {
        return new ShmClient(ShmClientConnection.connect(socketPath, timeoutNanos), timeoutNanos);
    }

    // ---- requests ----

    /** Listens with the default backlog. @see #listen(String, int) */
    public ShmListener listen(String name) throws UnixException {
        return listen(name, DEFAULT_BACKLOG);
    }

    /**
     * Listens on {@code name}.
     *
     * @param backlog connections queued in this process before {@link ShmListener#accept()}, 1..65535;
     *     more are closed at once (their connector reads end of stream)
     * @throws UnixException {@code EADDRINUSE}, {@code EACCES} (names beginning {@code node/} or
     *     {@code pid:}), {@code EMFILE}, {@code EINVAL}, {@code ETIMEDOUT}, {@code ECONNRESET}
     */
    public ShmListener listen(String name, int backlog) throws UnixException {
        if (backlog < 1 || backlog > ControlMessageDescriptor.MAX_BACKLOG) {
            throw new IllegalArgumentException("backlog " + backlog);
        }
        ShmAddress address = ShmAddress.of(name);
        long id;
        synchronized (lock) {
            id = request(ControlMessageEncoder.listen(out.clear(), 0, nextRequestId + 1, backlog, address.name()));
        }
        Object reply = awaitReply(id, "LISTEN " + name);
        synchronized (lock) {
            ShmListener listener = new ShmListener(this, (Long) reply, address, backlog);
            listeners.put(listener.id(), listener);
            return listener;
        }
    }

    /** Connects with the server's default ring capacity. @see #connect(String, int) */
    public ShmSocket connect(String name) throws UnixException {
        return connect(name, 0);
    }

    /**
     * Connects to {@code name}: another client's listener or a service inside the node
     * ({@code node/...}).
     *
     * @param ringCapacity each ring's capacity in bytes (64..2^30), 0 for the server's default
     * @return the connected socket, blocking mode
     * @throws UnixException {@code ECONNREFUSED}, {@code EMFILE}, {@code ENOMEM}, {@code EINVAL},
     *     {@code ETIMEDOUT}, {@code ECONNRESET}, {@code EPROTO} (the channel failed its checks)
     */
    public ShmSocket connect(String name, int ringCapacity) throws UnixException {
        ShmAddress address = ShmAddress.of(name);
        long id;
        synchronized (lock) {
            id = request(ControlMessageEncoder.connect(out.clear(), 0, nextRequestId + 1, ringCapacity, address.name()));
        }
        Object reply = awaitReply(id, "CONNECT " + name);
        return (ShmSocket) reply;
    }

    /** Opens a datagram endpoint with the server's default ring capacity. @see #openDatagram(String, int) */
    public ShmDatagramSocket openDatagram(String name) throws UnixException {
        return openDatagram(name, 0);
    }

    /**
     * Opens a datagram endpoint bound to {@code name} (PROTOCOL.md section 8): other endpoints
     * send to that name, and what this one sends carries it as the source.
     *
     * @param ringCapacity each ring's capacity in bytes (64..2^30), 0 for the server's default
     * @return the endpoint, blocking mode
     * @throws UnixException {@code EADDRINUSE} (name bound), {@code EACCES} ({@code node/} and
     *     {@code pid:} names), {@code EINVAL}, {@code EMFILE}, {@code ENOMEM}, {@code ETIMEDOUT},
     *     {@code ECONNRESET}, {@code EPROTO}
     */
    public ShmDatagramSocket openDatagram(String name, int ringCapacity) throws UnixException {
        ShmAddress address = ShmAddress.of(name);
        long id;
        synchronized (lock) {
            id = request(ControlMessageEncoder.dgramOpen(out.clear(), 0, nextRequestId + 1, ringCapacity, address.name()));
            pendingDatagramNames.put(id, address.name());
        }
        try {
            return (ShmDatagramSocket) awaitReply(id, "DGRAM_OPEN " + name);
        } finally {
            synchronized (lock) {
                pendingDatagramNames.remove(id);
            }
        }
    }

    /** Sends the message encoded in {@code out} under the next request id. Holds the lock. */
    private long request(int length) throws UnixException {
        checkUsable();
        if (length < 0) {
            throw new IllegalArgumentException("cannot encode the request: " + ControlMessageDescriptor.resultName(length));
        }
        long id = ++nextRequestId;
        out.clear().limit(length);
        int n = socket.send(out);
        if (n < 0) {
            brokenConnection(-n == Errno.EAGAIN ? Errno.ECONNRESET : -n);
            throw new UnixException("sending to the shm server", serverGone);
        }
        return id;
    }

    private Object awaitReply(long id, String what) throws UnixException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            synchronized (lock) {
                pump();
                Object reply = replies.remove(id);
                if (reply instanceof Failure f) {
                    throw new UnixException(what + ": " + f.text(), f.errno());
                }
                if (reply != null) {
                    return reply;
                }
                checkUsable();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new UnixException(what + ": no answer in time", Errno.ETIMEDOUT);
            }
            Unix.poll(socket.fd(), Unix.POLLIN, Math.min(left, POLL_SLICE_NANOS));
        }
    }

    private void checkUsable() throws UnixException {
        if (closed) {
            throw new UnixException("shm client closed", Errno.EBADF);
        }
        if (serverGone != 0) {
            throw new UnixException("shm server connection lost", serverGone);
        }
    }

    // ---- accepting ----

    ShmSocket accept(ShmListener listener, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            synchronized (lock) {
                if (!closed) {
                    pump();
                }
                ShmSocket s = listener.pending.poll();
                if (s != null || listener.closed || closed || serverGone != 0) {
                    return s;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Unix.poll(socket.fd(), Unix.POLLIN, Math.min(left, POLL_SLICE_NANOS));
        }
    }

    void closeListener(ShmListener listener) {
        List<ShmSocket> drop;
        synchronized (lock) {
            if (listener.closed) {
                return;
            }
            listener.closed = true;
            listeners.remove(listener.id());
            drop = new ArrayList<>(listener.pending);
            listener.pending.clear();
            if (!closed && serverGone == 0) {
                int length = ControlMessageEncoder.close(out.clear(), 0, ++nextRequestId, listener.id(),
                        ControlMessageDescriptor.KIND_LISTENER, 0);
                out.limit(length);
                socket.send(out); // the reply is consumed by the next pump
            }
        }
        for (ShmSocket s : drop) {
            s.close();
        }
    }

    /** @return the control socket's descriptor: readable when the server sent something (an ACCEPT, a CLOSE). */
    public int pollFd() {
        return socket.fd();
    }

    /**
     * Reads and handles every control message that has arrived, without waiting (ACCEPTs queue
     * connections on their listeners). Any thread; not needed by callers that accept or make
     * requests, which do it themselves.
     */
    public void processControlMessages() {
        synchronized (lock) {
            if (!closed) {
                pump();
            }
        }
    }

    // ---- the control stream ----

    /** Handles what has arrived, without waiting. Holds the lock. */
    private void pump() {
        for (int i = 0; i < 1024 && serverGone == 0; i++) {
            in.clear();
            int n = socket.receiveWithFds(in, fds);
            if (n == -Errno.EAGAIN) {
                return;
            }
            if (n == 0 || (n < 0 && n != UnixSeqpacketSocket.TRUNCATED)) {
                brokenConnection(n == 0 ? Errno.ECONNRESET : -n);
                return;
            }
            int fdCount = 0;
            for (int fd : fds) {
                fdCount += fd >= 0 ? 1 : 0;
            }
            int length = n == UnixSeqpacketSocket.TRUNCATED ? in.capacity() : n;
            int type = decoder.wrap(in, 0, length, fdCount);
            try {
                dispatch(type);
            } finally {
                closeFds();
            }
        }
    }

    private void closeFds() {
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] >= 0) {
                UnixSeqpacketSocket.adopt(fds[i]).close();
                fds[i] = -1;
            }
        }
    }

    private void dispatch(int type) {
        if (type < 0) {
            brokenConnection(Errno.EPROTO); // the server sent something invalid: drop the connection
            return;
        }
        long id = decoder.requestId();
        switch (type) {
            case ControlMessageDescriptor.LISTEN_REPLY -> replies.put(id, decoder.listenReplyListenerId());
            case ControlMessageDescriptor.ERROR -> {
                if (decoder.errorFatal()) {
                    brokenConnection(decoder.errorCode());
                }
                if (id != 0) {
                    replies.put(id, new Failure(decoder.errorCode(), decoder.errorText()));
                }
            }
            case ControlMessageDescriptor.ACCEPT -> {
                acceptPending = true;
                acceptListenerId = decoder.acceptListenerId();
                acceptPeerAddress = decoder.acceptPeerAddress();
            }
            case ControlMessageDescriptor.CHANNEL_READY -> onChannelReady(id);
            case ControlMessageDescriptor.DGRAM_READY -> onDgramReady(id);
            case ControlMessageDescriptor.CLOSE -> {
                if (id == 0 && decoder.closeKind() == ControlMessageDescriptor.KIND_CHANNEL) {
                    ShmSocket s = sockets.get(decoder.closeId());
                    if (s != null) {
                        s.peerClosed(decoder.closeReason());
                    }
                }
                // id != 0: the answer to our CLOSE; nothing more to do
            }
            default -> brokenConnection(Errno.EPROTO);
        }
    }

    private void onChannelReady(long requestId) {
        long channelId = decoder.channelReadyChannelId();
        int side = decoder.channelReadySide();
        int capacity = decoder.channelReadyRingCapacity();
        long offset = decoder.channelReadyOffset();
        boolean accepted = requestId == 0;
        if (accepted && !acceptPending) {
            brokenConnection(Errno.EPROTO);
            return;
        }
        ShmSocket socket;
        try {
            StreamChannelEnd end = attach(channelId, side, capacity, offset);
            if (accepted) {
                ShmListener listener = listeners.get(acceptListenerId);
                ShmAddress local = listener != null ? listener.address() : null;
                socket = new ShmSocket(this, channelId, end, local, addressOrNull(acceptPeerAddress));
            } else {
                socket = new ShmSocket(this, channelId, end, ShmAddress.of("pid:" + pid + "/" + channelId), null);
            }
            sockets.put(channelId, socket);
        } catch (UnixException | RuntimeException e) {
            sendClose(channelId, Errno.EPROTO);
            if (!accepted) {
                replies.put(requestId, new Failure(Errno.EPROTO, "channel refused: " + e.getMessage()));
            }
            acceptPending = false;
            return;
        }
        if (!accepted) {
            replies.put(requestId, socket);
            return;
        }
        acceptPending = false;
        ShmListener listener = listeners.get(acceptListenerId);
        if (listener == null || listener.closed || listener.pending.size() >= listener.backlog()) {
            socket.close(); // refused here: the connector reads end of stream
            return;
        }
        listener.pending.add(socket);
    }

    private void onDgramReady(long requestId) {
        long channelId = decoder.channelReadyChannelId();
        String name = pendingDatagramNames.get(requestId);
        if (name == null) {
            brokenConnection(Errno.EPROTO); // a DGRAM_READY nobody asked for
            return;
        }
        try {
            StreamChannelEnd end = attach(channelId, decoder.channelReadySide(), decoder.channelReadyRingCapacity(),
                    decoder.channelReadyOffset());
            ShmDatagramSocket socket = new ShmDatagramSocket(channelId, end, ShmAddress.of(name));
            datagramSockets.put(channelId, socket);
            replies.put(requestId, socket);
        } catch (UnixException | RuntimeException e) {
            sendClose(channelId, Errno.EPROTO);
            replies.put(requestId, new Failure(Errno.EPROTO, "endpoint refused: " + e.getMessage()));
        }
    }

    private static ShmAddress addressOrNull(String address) {
        return address == null || address.isEmpty() ? null : ShmAddress.of(address);
    }

    /** Maps the channel memfd and adopts the eventfds; everything is closed again on failure. */
    private StreamChannelEnd attach(long channelId, int side, int capacity, long offset) throws UnixException {
        if (offset != 0) {
            throw new UnixException("channel offset " + offset + " (version 1 channels start at 0)", Errno.EPROTO);
        }
        long size = ControlMessageDescriptor.channelSize(capacity);
        int memFd = fds[ControlMessageDescriptor.FD_MEMORY];
        fds[ControlMessageDescriptor.FD_MEMORY] = -1; // map owns it from here, also on failure
        SharedMemory memory = SharedMemory.map(memFd, size);
        EventFd[] bells = new EventFd[4];
        try {
            if (!memory.isSizeSealed()) {
                throw new UnixException("channel memory is not sealed against shrinking", Errno.EPROTO);
            }
            for (int i = 0; i < 4; i++) {
                bells[i] = EventFd.adopt(fds[ControlMessageDescriptor.FD_DATA_IN + i]);
                fds[ControlMessageDescriptor.FD_DATA_IN + i] = -1;
            }
            if (StreamChannelDescriptor.readRingCapacity(memory.buffer()) != capacity) {
                throw new UnixException("channel header capacity differs from CHANNEL_READY's", Errno.EPROTO);
            }
            EventFd[] owned = bells.clone();
            return StreamChannelEnd.attach(memory.buffer(), side,
                    new StreamChannelEnd.Doorbells(bells[0], bells[1], bells[2], bells[3]),
                    () -> channelClosed(channelId, memory, owned));
        } catch (UnixException | RuntimeException e) {
            for (EventFd fd : bells) {
                if (fd != null) {
                    fd.close();
                }
            }
            memory.close();
            throw e;
        }
    }

    /** A socket's owner: runs once when the socket closes. */
    private void channelClosed(long channelId, SharedMemory memory, EventFd[] bells) {
        int reason;
        synchronized (lock) {
            ShmSocket s = sockets.remove(channelId);
            ShmDatagramSocket d = datagramSockets.remove(channelId);
            reason = s != null ? s.closeReason() : d != null ? d.closeReason() : 0;
            sendClose(channelId, reason);
        }
        for (EventFd fd : bells) {
            fd.close();
        }
        memory.close();
    }

    private void sendClose(long channelId, int reason) {
        if (closed || serverGone != 0) {
            return;
        }
        int length = ControlMessageEncoder.close(out.clear(), 0, ++nextRequestId, channelId,
                ControlMessageDescriptor.KIND_CHANNEL, reason);
        out.limit(length);
        if (socket.send(out) < 0) {
            brokenConnection(Errno.ECONNRESET);
        }
    }

    private void brokenConnection(int errno) {
        if (serverGone == 0) {
            serverGone = errno == 0 ? Errno.ECONNRESET : errno;
        }
    }

    /** @return the server's pid. */
    public int serverPid() {
        return connection.serverPid();
    }

    /** @return the server's default ring capacity. */
    public int ringCapacity() {
        return connection.ringCapacity();
    }

    /** @return the most channels this client may hold open at once. */
    public long maxChannels() {
        return connection.maxChannels();
    }

    /** @return 0 while connected, else the errno that ended the control connection. */
    public int connectionError() {
        synchronized (lock) {
            return serverGone;
        }
    }

    /** @return the sockets currently open. */
    public int openSockets() {
        synchronized (lock) {
            return sockets.size();
        }
    }

    /**
     * Closes the listeners and the control connection (the server then closes every channel of
     * this client on its behalf: peers read end of stream). Sockets still open keep their
     * mappings until they are closed; close them first for an orderly end. Idempotent; any thread.
     */
    @Override
    public void close() {
        List<ShmListener> ls;
        synchronized (lock) {
            if (closed) {
                return;
            }
            ls = new ArrayList<>(listeners.values());
        }
        for (ShmListener l : ls) {
            l.close();
        }
        synchronized (lock) {
            closed = true;
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "ShmClient[server pid " + connection.serverPid() + (serverGone != 0 ? ", lost: " + Errno.name(serverGone) : "") + "]";
    }
}
