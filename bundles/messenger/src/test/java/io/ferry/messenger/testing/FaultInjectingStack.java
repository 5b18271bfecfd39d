package io.ferry.messenger.testing;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NetworkStack} decorator that breaks connections at chosen points, for tests: during
 * the TCP connect, after a given number of bytes written or read (so at any handshake step or in
 * the middle of a frame), or after random byte counts on every socket.
 *
 * <p>A break works on both ends: the call that reaches the point writes (or reads) only the bytes
 * allowed, then returns {@code -ECONNRESET} so this side faults at once, and the real socket's
 * output is shut down so the peer reads end-of-file and faults too. Every later call returns
 * {@code -ECONNRESET} until the messenger closes the socket.
 *
 * <p>Threading: the plan ({@link #breakNext}, {@link #breakRandomly}, ...) may be changed from
 * any thread; a socket takes its plan when it is created. The sockets are used on their worker
 * thread only, as any stack's.
 */
public final class FaultInjectingStack implements NetworkStack {

    /** Which sockets a planned break applies to. */
    public enum Side {
        /** sockets this stack connects */
        CONNECTING,
        /** sockets accepted by listeners of this stack */
        ACCEPTED
    }

    /** Where a socket breaks: after {@code writeBytes} written or {@code readBytes} read (-1: never). */
    public record Break(long writeBytes, long readBytes, boolean refuseConnect) {
        public static Break afterWriting(long bytes) {
            return new Break(bytes, -1, false);
        }

        public static Break afterReading(long bytes) {
            return new Break(-1, bytes, false);
        }

        public static Break duringConnect() {
            return new Break(-1, -1, true);
        }
    }

    private final NetworkStack delegate;
    private final ConcurrentLinkedQueue<Break> nextConnecting = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Break> nextAccepted = new ConcurrentLinkedQueue<>();
    private final AtomicLong injected = new AtomicLong();
    private final AtomicInteger sockets = new AtomicInteger();
    private volatile Random random;
    private volatile long randomMaxBytes;
    private volatile boolean stopping;
    private final AtomicInteger refusedWorkers = new AtomicInteger();

    public FaultInjectingStack(NetworkStack delegate) {
        this.delegate = delegate;
    }

    /** The next socket created on {@code side} breaks as {@code b} says (queued, one per socket). */
    public FaultInjectingStack breakNext(Side side, Break b) {
        (side == Side.CONNECTING ? nextConnecting : nextAccepted).add(b);
        return this;
    }

    /**
     * Every socket without a planned break breaks after a random number of bytes written or read
     * (1..maxBytes each way, chosen per socket), or never if {@code random} is null.
     */
    public void breakRandomly(Random random, long maxBytes) {
        this.randomMaxBytes = maxBytes;
        this.random = random;
    }

    /**
     * From now on {@link #leastLoadedWorker()} throws {@link IllegalStateException}, as a stack
     * that is stopping does (posix and shm alike).
     */
    public void actAsStopping() {
        stopping = true;
    }

    /** @return how many times a worker was asked for after {@link #actAsStopping()}. */
    public int refusedWorkers() {
        return refusedWorkers.get();
    }

    /** @return the number of breaks that happened. */
    public long injected() {
        return injected.get();
    }

    /** @return the number of sockets created (connected and accepted). */
    public int socketsCreated() {
        return sockets.get();
    }

    private Break planFor(Side side) {
        Break b = (side == Side.CONNECTING ? nextConnecting : nextAccepted).poll();
        if (b != null) {
            return b;
        }
        Random r = random;
        if (r == null) {
            return null;
        }
        synchronized (r) {
            // whichever direction reaches its point first breaks the socket
            return new Break(1 + (long) (r.nextDouble() * randomMaxBytes), 1 + (long) (r.nextDouble() * randomMaxBytes),
                    false);
        }
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public String driverName() {
        return delegate.driverName();
    }

    @Override
    public List<Worker> workers() {
        return delegate.workers();
    }

    @Override
    public Worker leastLoadedWorker() {
        if (stopping) {
            refusedWorkers.incrementAndGet();
            throw new IllegalStateException(delegate.type() + " stack is not running");
        }
        return delegate.leastLoadedWorker();
    }

    @Override
    public ServerSocket listen(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        ServerSocket real = delegate.listen(address, options, worker);
        return new ServerSocket() {
            @Override
            public int fd() {
                return real.fd();
            }

            @Override
            public SelectableChannel channel() {
                return real.channel();
            }

            @Override
            public SocketAddress localAddress() {
                return real.localAddress();
            }

            @Override
            public Worker worker() {
                return real.worker();
            }

            @Override
            public ConnectedSocket accept(SocketOptions o, Worker target) throws IOException {
                ConnectedSocket s = real.accept(o, target);
                return s == null ? null : new Faulty(s, planFor(Side.ACCEPTED));
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    @Override
    public ConnectedSocket connect(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return new Faulty(delegate.connect(address, options, worker), planFor(Side.CONNECTING));
    }

    private final class Faulty extends ForwardingConnectedSocket {
        private final boolean refuseConnect;
        private long writeBudget;
        private long readBudget;
        private boolean broken;

        Faulty(ConnectedSocket s, Break plan) {
            super(s);
            sockets.incrementAndGet();
            this.refuseConnect = plan != null && plan.refuseConnect();
            this.writeBudget = plan == null ? -1 : plan.writeBytes();
            this.readBudget = plan == null ? -1 : plan.readBytes();
        }

        private int breakNow() {
            if (!broken) {
                broken = true;
                injected.incrementAndGet();
                s.shutdownOutput();
            }
            return -Errno.ECONNRESET;
        }

        @Override
        public int isConnected() {
            int c = s.isConnected();
            if (c == 1 && refuseConnect && !broken) {
                broken = true;
                injected.incrementAndGet();
                return -Errno.ECONNREFUSED;
            }
            return broken ? -Errno.ECONNRESET : c;
        }

        /**
         * A read cut short at the break point leaves bytes in the kernel that no new readiness
         * announces: such a socket must be read until -EAGAIN, level-triggered.
         */
        @Override
        public boolean shortReadDrains() {
            return readBudget < 0 && s.shortReadDrains();
        }

        @Override
        public int read(ByteBuffer dst) {
            if (broken) {
                return -Errno.ECONNRESET;
            }
            if (readBudget == 0) {
                return breakNow();
            }
            int limit = dst.limit();
            if (readBudget > 0 && dst.remaining() > readBudget) {
                dst.limit(dst.position() + (int) readBudget);
            }
            int n;
            try {
                n = s.read(dst);
            } finally {
                dst.limit(limit);
            }
            if (n > 0 && readBudget > 0) {
                readBudget -= n; // at 0 the bytes up to the point are delivered; the next read finds the break
            }
            return n;
        }

        @Override
        public long send(BufferList data, boolean more) {
            if (broken) {
                return -Errno.ECONNRESET;
            }
            if (writeBudget < 0 || data.length() <= writeBudget) {
                long n = s.send(data, more);
                if (n > 0 && writeBudget > 0) {
                    writeBudget -= n;
                }
                if (writeBudget == 0 && n >= 0) {
                    return breakNow();
                }
                return n;
            }
            // only the bytes up to the point reach the wire
            ByteBuffer prefix = ByteBuffer.allocate((int) writeBudget);
            data.copyTo(0, prefix);
            prefix.flip();
            int n = s.write(prefix);
            if (n > 0) {
                data.consume(n);
                writeBudget -= n;
            }
            if (writeBudget == 0 || n < 0) {
                return breakNow();
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            if (broken) {
                return -Errno.ECONNRESET;
            }
            int limit = src.limit();
            if (writeBudget >= 0 && src.remaining() > writeBudget) {
                src.limit(src.position() + (int) writeBudget);
            }
            int n;
            try {
                n = s.write(src);
            } finally {
                src.limit(limit);
            }
            if (n > 0 && writeBudget > 0) {
                writeBudget -= n;
            }
            if (writeBudget == 0) {
                return breakNow();
            }
            return n;
        }
    }
}
