package io.ferry.netstack.shm.stack;

import io.ferry.api.event.Worker;
import io.ferry.api.event.WorkerPool;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.channel.StreamChannelPair;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.control.ControlMessageDescriptor;
import io.ferry.netstack.shm.server.NodeListener;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.unix.UnixException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code shm} stack: sockets whose bytes travel through shared-memory rings, between client
 * processes (the {@link io.ferry.netstack.shm.client.ShmClient} library) and services inside the
 * node, and between sockets of the node itself. It runs on a {@link WorkerPool} of its own (from
 * the {@link io.ferry.api.event.WorkerPoolFactory} service inside OSGi) whose driver polls file
 * descriptors (epoll: the sockets are file descriptors); worker 0 also runs the
 * {@link ShmControlServer} on the configured socket path. Usable without OSGi: construct,
 * {@link #start()}, use, {@link #stop(long)}.
 *
 * <p><b>Addresses:</b> {@link ShmAddress}. A node listener's name begins with {@code node/}
 * ({@link ShmAddress#ephemeral()} picks {@code node/ephemeral/<n>}); a name without that prefix
 * gets it prepended. {@code connect} takes any listener name: a node listener (the two ends are
 * paired in process, no server round trip) or a client's (through the server). A connecting
 * node socket's own address is {@code node:<n>}.
 *
 * <p><b>IP addresses</b> (for services whose protocol carries IP:port, e.g. the messenger): an
 * {@link InetSocketAddress} {@code ip:port} is the node listener name {@code node/inet/<ip>:<port>}
 * ({@code [v6]:port} for IPv6; {@link InetNames}). {@code listen(ip:0)} takes the next port of this
 * stack's own range 32768..60999 whose name is free; the listener reports the
 * {@link InetSocketAddress}. {@code connect(ip:port)} reaches that node listener, or one on the
 * wildcard address with that port; none: {@code ECONNREFUSED}. The connecting socket reports
 * {@code ip:<port from the same range>} as its local address and the listener's side sees it as
 * the remote address. Only node listeners have such names: clients are reached by ShmAddress.
 *
 * <p><b>Options:</b> {@code sendBufferSize} (else {@code receiveBufferSize}) sets the ring capacity
 * of a connection made from the node, 0 = the server's default; the backlog bounds a listener's
 * queue; Nagle, keep-alive and reuse-address do not apply and are ignored.
 *
 * <p><b>Threading:</b> every method from any thread; sockets belong to their worker.
 * <b>Shutdown:</b> {@link #stop(long)} fails every socket ({@code -ESHUTDOWN}, handlers fired once),
 * closes the server (clients see the hang-up; their channels to node sockets are closed on their
 * behalf), stops the workers within the bound and closes what remains.
 */
public final class ShmNetworkStack implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(ShmNetworkStack.class);
    public static final String TYPE = "shm";

    private final WorkerPool pool;
    private final ShmControlServer.Config serverConfig;
    private final ShmStackSocket.Tracker tracker = new ShmStackSocket.Tracker();
    private static final int FIRST_EPHEMERAL_PORT = 32768;
    private static final int EPHEMERAL_PORTS = 61000 - FIRST_EPHEMERAL_PORT;

    private final AtomicLong ephemeral = new AtomicLong();
    private final AtomicLong ephemeralPorts = new AtomicLong();
    private final AtomicLong nodeConnects = new AtomicLong();
    private final int pid = (int) ProcessHandle.current().pid();
    private volatile ShmControlServer server;
    private volatile boolean started;
    private volatile boolean stopped;
    private volatile boolean busyPoll;

    /**
     * @param pool the workers the sockets and the server run on; the stack owns it from now on and
     *     closes it in {@link #stop(long)} (or when {@link #start()} fails); its driver must poll
     *     file descriptors (epoll)
     * @param serverConfig the control server's socket path, policy and limits
     * @throws IllegalArgumentException if the pool's driver does not poll file descriptors (the
     *     pool is closed then too)
     */
    public ShmNetworkStack(WorkerPool pool, ShmControlServer.Config serverConfig) {
        if (!pool.pollsFileDescriptors()) {
            pool.close();
            throw new IllegalArgumentException("the shm stack needs a driver that polls file descriptors (epoll), not "
                    + pool.driverName());
        }
        this.pool = pool;
        this.serverConfig = serverConfig;
    }

    /** Starts the control server (on worker 0). On failure the pool is closed: nothing is left running. */
    public synchronized void start() throws IOException {
        if (started || stopped) {
            throw new IllegalStateException("start once");
        }
        started = true;
        try {
            Worker first = pool.workers().get(0);
            CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
            if (!first.center().execute(() -> {
                try {
                    f.complete(ShmControlServer.start(first.center(), serverConfig));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            })) {
                throw new IOException("the shm stack's worker pool is closed");
            }
            try {
                server = f.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException ? (IOException) cause : new IOException(cause.getMessage(), cause);
            } catch (Exception e) {
                throw new IOException("starting the shm server: " + e, e);
            }
        } catch (IOException | RuntimeException e) {
            stopped = true;
            pool.close();
            throw e;
        }
        LOG.info("shm stack started: {} workers on {}, server on {}", pool.workers().size(), pool.driverName(),
                serverConfig.socketPath());
    }

    /**
     * Fails every socket ({@code -ESHUTDOWN}), closes the server, stops the workers (each within
     * {@code timeoutMillis}) and closes what remains.
     *
     * @return true if every worker ended in time
     */
    public synchronized boolean stop(long timeoutMillis) {
        if (stopped) {
            return true;
        }
        stopped = true;
        tracker.failAll();
        ShmControlServer s = server;
        if (s != null) {
            s.close();
        }
        boolean all = pool.close(timeoutMillis);
        tracker.closeRemaining();
        LOG.info("shm stack stopped ({} workers)", pool.workers().size());
        return all;
    }

    /**
     * @param busyPoll whether node ends created from now on spin instead of sleeping in blocking
     *     calls; the stack itself only uses non-blocking calls, so this matters only to ends handed
     *     out elsewhere. Off by default.
     */
    public void setBusyPoll(boolean busyPoll) {
        this.busyPoll = busyPoll;
    }

    /** @return the control server (null before start). */
    public ShmControlServer server() {
        return server;
    }

    /** @return open sockets (listeners and connections). */
    public int openSockets() {
        return tracker.size();
    }

    ShmStackSocket.Tracker tracker() {
        return tracker;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String driverName() {
        return pool.driverName();
    }

    @Override
    public List<Worker> workers() {
        return pool.workers();
    }

    @Override
    public Worker leastLoadedWorker() {
        checkRunning();
        return pool.leastLoadedWorker();
    }

    @Override
    public ServerSocket listen(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        if (address instanceof InetSocketAddress) {
            return listenInet((InetSocketAddress) address, options, own(worker));
        }
        Worker owner = own(worker);
        ShmAddress shm = shm(address);
        String name = shm.isEphemeral() ? ShmControlServer.NODE_PREFIX + "ephemeral/" + ephemeral.incrementAndGet()
                : shm.name().startsWith(ShmControlServer.NODE_PREFIX) ? shm.name() : ShmControlServer.NODE_PREFIX + shm.name();
        ShmServerSocket listener = register(name, ShmAddress.of(name), options, owner);
        if (listener == null) {
            throw new UnixException("shm name " + name + " is in use", Errno.EADDRINUSE);
        }
        return listener;
    }

    /** {@code ip:port} listens on {@code node/inet/<ip>:<port>}; port 0 takes the next free port of this stack. */
    private ServerSocket listenInet(InetSocketAddress address, SocketOptions options, Worker owner) throws IOException {
        InetAddress ip = InetNames.ip(address);
        if (address.getPort() != 0) {
            ShmServerSocket listener = register(InetNames.listenerName(ip, address.getPort()), address, options, owner);
            if (listener == null) {
                throw new UnixException("shm inet address " + address + " is in use", Errno.EADDRINUSE);
            }
            return listener;
        }
        for (int i = 0; i < EPHEMERAL_PORTS; i++) {
            int port = nextEphemeralPort();
            ShmServerSocket listener = register(InetNames.listenerName(ip, port), new InetSocketAddress(ip, port), options,
                    owner);
            if (listener != null) {
                return listener;
            }
        }
        throw new UnixException("no free shm inet port for " + ip.getHostAddress(), Errno.EADDRINUSE);
    }

    /** @return the registered listener, or null if {@code name} is taken */
    private ShmServerSocket register(String name, SocketAddress reported, SocketOptions options, Worker owner)
            throws IOException {
        ShmServerSocket listener = new ShmServerSocket(this, owner, tracker, name, reported, options.backlog());
        boolean registered;
        try {
            registered = server.registerNodeListener(name, listener);
        } catch (IllegalArgumentException e) {
            listener.close();
            throw new IOException(e.getMessage(), e);
        }
        if (!registered) {
            listener.close();
            return null;
        }
        return tracker.track(listener);
    }

    private int nextEphemeralPort() {
        return FIRST_EPHEMERAL_PORT + (int) Math.floorMod(ephemeralPorts.getAndIncrement(), (long) EPHEMERAL_PORTS);
    }

    @Override
    public ConnectedSocket connect(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        Worker owner = own(worker);
        int capacity = options.sendBufferSize() != 0 ? options.sendBufferSize() : options.receiveBufferSize();
        if (capacity != 0 && (capacity < ControlMessageDescriptor.MIN_RING_CAPACITY
                || capacity > ControlMessageDescriptor.MAX_RING_CAPACITY)) {
            throw new IOException("ring capacity " + capacity + " outside [64, 2^30]");
        }
        if (address instanceof InetSocketAddress) {
            return connectInet((InetSocketAddress) address, capacity, owner);
        }
        ShmAddress remote = shm(address);
        if (remote.isEphemeral()) {
            throw new IOException("cannot connect to an ephemeral address; connect to a listener's localAddress()");
        }
        String name = remote.name();
        NodeListener local = server.nodeListener(name);
        if (local != null) {
            String me = "node:" + nodeConnects.incrementAndGet();
            return connectInProcess(local, capacity, owner, me, ShmAddress.of(me), remote);
        }
        if (!server.isNameTaken(name)) {
            return ShmConnectedSocket.failed(owner, tracker, -Errno.ECONNREFUSED, remote);
        }
        ShmConnectedSocket socket = ShmConnectedSocket.connecting(owner, tracker, remote);
        ShmAddress me = ShmAddress.of("node:" + nodeConnects.incrementAndGet());
        server.connectFromNode(name, capacity, me.name(), (end, errno) -> {
            if (end != null) {
                end.setBusyPoll(busyPoll);
            }
            socket.complete(end, errno, me);
        });
        return socket;
    }

    /**
     * {@code ip:port} connects to the node listener {@code node/inet/<ip>:<port>}, else to one on
     * the wildcard address of that family with that port; none: {@code ECONNREFUSED}. The socket's
     * own address is {@code ip:<a port from this stack's ephemeral range>} (the loopback address
     * when {@code ip} is the wildcard), which the accepting side sees as its remote address.
     */
    private ConnectedSocket connectInet(InetSocketAddress remote, int capacity, Worker owner) throws IOException {
        InetAddress ip = InetNames.ip(remote);
        NodeListener listener = server.nodeListener(InetNames.listenerName(ip, remote.getPort()));
        if (listener == null && !ip.isAnyLocalAddress()) {
            InetAddress any = ip instanceof Inet6Address ? InetAddress.getByName("::") : InetAddress.getByName("0.0.0.0");
            listener = server.nodeListener(InetNames.listenerName(any, remote.getPort()));
        }
        if (listener == null) {
            return ShmConnectedSocket.failed(owner, tracker, -Errno.ECONNREFUSED, remote);
        }
        InetAddress localIp = ip.isAnyLocalAddress()
                ? (ip instanceof Inet6Address ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1")) : ip;
        int port = nextEphemeralPort();
        return connectInProcess(listener, capacity, owner, InetNames.listenerName(localIp, port),
                new InetSocketAddress(localIp, port), remote);
    }

    /** Pairs two node ends in process and offers one to {@code listener}. */
    private ConnectedSocket connectInProcess(NodeListener listener, int capacity, Worker owner, String meName,
            SocketAddress me, SocketAddress remote) throws IOException {
        StreamChannelPair pair;
        try {
            pair = StreamChannelPair.create(capacity == 0 ? serverConfig.ringCapacity() : capacity);
        } catch (UnixException e) {
            return ShmConnectedSocket.failed(owner, tracker, -Errno.ENOMEM, remote);
        }
        pair.a().setBusyPoll(busyPoll);
        pair.b().setBusyPoll(busyPoll);
        ShmConnectedSocket socket;
        try {
            socket = ShmConnectedSocket.connected(owner, tracker, pair.a(), me, remote);
        } catch (UnixException e) {
            pair.a().close();
            pair.b().close();
            throw e;
        }
        if (!listener.offer(pair.b(), meName, pid)) {
            pair.b().close(); // the connector reads end of stream; report the refusal too
            socket.close();
            return ShmConnectedSocket.failed(owner, tracker, -Errno.ECONNREFUSED, remote);
        }
        return socket;
    }

    void unregister(String name, NodeListener listener) {
        ShmControlServer s = server;
        if (s != null) {
            s.unregisterNodeListener(name, listener);
        }
    }

    private void checkRunning() {
        if (stopped || server == null) {
            throw new IllegalStateException("shm stack is not running");
        }
    }

    Worker own(Worker worker) throws IOException {
        checkRunning();
        if (worker == null) {
            return pool.leastLoadedWorker();
        }
        if (!pool.contains(worker)) {
            throw new IOException("worker " + worker + " does not belong to this shm stack");
        }
        return worker;
    }

    private static ShmAddress shm(SocketAddress address) throws IOException {
        if (address instanceof ShmAddress) {
            return (ShmAddress) address;
        }
        throw new IOException("the shm stack takes ShmAddress or InetSocketAddress, not " + address);
    }

    /**
     * One line per open socket of this stack (state, readiness, doorbells, counters), for
     * diagnosing a stalled connection. Any thread; approximately current.
     */
    public List<String> describeOpenSockets() {
        return tracker.describe();
    }

    @Override
    public String toString() {
        return "shm stack [" + pool.driverName() + ", " + pool.workers().size() + " workers, " + serverConfig.socketPath() + "]";
    }
}
