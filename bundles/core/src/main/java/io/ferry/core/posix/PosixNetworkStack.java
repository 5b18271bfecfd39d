package io.ferry.core.posix;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.event.EventLoopWorkerPool;
import io.ferry.core.jni.NativeIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code posix} stack: kernel TCP over a pool of {@link EventLoopWorker}s. Usable without
 * OSGi (tests, benchmarks): construct, {@link #start()}, use, {@link #stop(long)}.
 *
 * <p>Any thread may call every method. Sockets belong to the worker they were given.
 */
public final class PosixNetworkStack implements NetworkStack {
    private static final Logger LOG = LoggerFactory.getLogger(PosixNetworkStack.class);
    public static final String TYPE = "posix";

    private final String threadPrefix;
    private final EventDriverFactory driverFactory;
    private final SocketProvider sockets;
    private final int workerCount;
    private final SocketTracker tracker = new SocketTracker();
    private volatile EventLoopWorkerPool pool;
    private volatile List<EventLoopWorker> workers = List.of();
    private volatile boolean stopped;
    private volatile long pollBeforeSleepNanos;

    /**
     * @param threadPrefix worker thread names are {@code prefix-N}
     * @param driverFactory the driver kind the workers poll with
     * @param workerCount number of worker threads, at least 1
     */
    public PosixNetworkStack(String threadPrefix, EventDriverFactory driverFactory, int workerCount) {
        if (workerCount < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workerCount);
        }
        this.threadPrefix = threadPrefix;
        this.driverFactory = driverFactory;
        this.workerCount = workerCount;
        this.sockets = SocketProviders.forDriver(driverFactory);
    }

    /** Creates one driver and one worker thread per configured worker and starts them. */
    public synchronized void start() throws IOException {
        if (!workers.isEmpty() || stopped) {
            throw new IllegalStateException("start once");
        }
        EventLoopWorkerPool started = EventLoopWorkerPool.start(threadPrefix, workerCount, driverFactory);
        pool = started;
        workers = started.eventLoopWorkers();
        applyPollBeforeSleep();
        LOG.info("posix stack started: {} workers on {} with {} sockets, system calls through {}", workerCount,
                driverFactory.name(), sockets.name(), nativeCalls());
    }

    /**
     * Fails every open socket ({@code -ESHUTDOWN}, handlers fired once), stops the workers and
     * closes what remains. Bounded: each worker gets {@code timeoutMillis} to end.
     *
     * @return true if every worker thread ended in time
     */
    public synchronized boolean stop(long timeoutMillis) {
        if (stopped) {
            return true;
        }
        stopped = true;
        tracker.failAll();
        EventLoopWorkerPool p = pool;
        boolean allStopped = p == null || p.close(timeoutMillis);
        tracker.closeRemaining();
        LOG.info("posix stack stopped ({} workers)", workers.size());
        return allStopped;
    }

    /** @return the number of open sockets (listeners and connections). */
    /**
     * Lets every worker poll for up to {@code limitNanos} before it sleeps, 0 for never
     * ({@link io.ferry.core.event.DefaultEventCenter#pollBeforeSleep(long)}); any thread, also
     * before {@link #start()} and while the stack runs.
     */
    public void pollBeforeSleep(long limitNanos) {
        if (limitNanos < 0) {
            throw new IllegalArgumentException("poll limit must not be negative: " + limitNanos);
        }
        pollBeforeSleepNanos = limitNanos;
        applyPollBeforeSleep();
    }

    /** @return the workers' poll limit in nanoseconds, 0 when they sleep at once. */
    public long pollBeforeSleepNanos() {
        return pollBeforeSleepNanos;
    }

    /** @return polls before a sleep that met an event, over every worker (approximate while running). */
    public long pollsCaught() {
        return workers.stream().mapToLong(w -> w.defaultCenter().pollsCaught()).sum();
    }

    /** @return polls before a sleep that met none, over every worker (approximate while running). */
    public long pollsMissed() {
        return workers.stream().mapToLong(w -> w.defaultCenter().pollsMissed()).sum();
    }

    private void applyPollBeforeSleep() {
        for (EventLoopWorker w : workers) {
            w.defaultCenter().pollBeforeSleep(pollBeforeSleepNanos);
        }
    }

    public int openSockets() {
        return tracker.size();
    }

    /**
     * @return how the data path's system calls are made: {@code jni} (Ferry's library) or
     *     {@code jna (why)}; {@code jdk} with the NIO socket provider
     */
    public String nativeCalls() {
        if (!NativeSocketProvider.NAME.equals(sockets.name())) {
            return "jdk";
        }
        return NativeIo.usesJni() ? NativeIo.implementation() : NativeIo.implementation() + " (" + NativeIo.jniUnavailableReason() + ")";
    }

    /** @return the socket provider's name ({@code native} or {@code nio}). */
    public String socketProviderName() {
        return sockets.name();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String driverName() {
        return driverFactory.name();
    }

    @Override
    public List<Worker> workers() {
        return Collections.unmodifiableList(workers);
    }

    /** @return the workers with their implementation type. */
    public List<EventLoopWorker> eventLoopWorkers() {
        return workers;
    }

    @Override
    public Worker leastLoadedWorker() {
        List<EventLoopWorker> ws = checkRunning();
        EventLoopWorker best = ws.get(0);
        for (EventLoopWorker w : ws) {
            if (w.load() < best.load()) {
                best = w;
            }
        }
        return best;
    }

    @Override
    public ServerSocket listen(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return sockets.listen(inet(address), options, own(worker), tracker);
    }

    @Override
    public ConnectedSocket connect(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return sockets.connect(inet(address), options, own(worker), tracker);
    }

    private List<EventLoopWorker> checkRunning() {
        List<EventLoopWorker> ws = workers;
        if (stopped || ws.isEmpty()) {
            throw new IllegalStateException("posix stack is not running");
        }
        return ws;
    }

    private EventLoopWorker own(Worker worker) throws IOException {
        List<EventLoopWorker> ws = checkRunning();
        if (worker == null) {
            return (EventLoopWorker) leastLoadedWorker();
        }
        for (EventLoopWorker w : ws) {
            if (w == worker) {
                return w;
            }
        }
        throw new IOException("worker " + worker + " does not belong to this posix stack");
    }

    private static InetSocketAddress inet(SocketAddress address) throws IOException {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            if (inet.isUnresolved()) {
                throw new IOException("unresolved address " + inet + ": give a numeric address");
            }
            return inet;
        }
        throw new IOException("the posix stack takes InetSocketAddress, not " + address);
    }

    @Override
    public String toString() {
        return "posix stack [" + driverFactory.name() + ", " + workerCount + " workers]";
    }
}
