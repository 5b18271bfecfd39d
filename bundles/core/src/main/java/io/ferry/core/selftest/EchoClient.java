package io.ferry.core.selftest;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.FileEventHandler;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.SocketAddresses;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous echo client on any {@link NetworkStack}: it opens a number of connections, each
 * on the stack's least loaded worker, and on each sends messages one at a time (ping-pong), waits
 * for the whole echo, checks every byte against {@link EchoPattern} and records the round-trip
 * time. Messages go out through {@link ConnectedSocket#send(BufferList, boolean)}.
 *
 * <p>Every run is bounded: each connection arms a time event for the run's timeout, and the
 * first failure (connect refused, reset, end of stream, a wrong byte, the timeout) fails the
 * whole run and closes every connection. On success every connection is closed before the result
 * is completed. Cancelling or completing the returned future early also closes everything.
 *
 * <p><b>Threading:</b> {@link #run} may be called from any thread; each connection works on its
 * worker's event-loop thread, and the returned future completes on one of those threads (or on
 * the caller's, when it fails at once). Dependent stages must not block.
 */
public final class EchoClient {

    /** What one run of the client asks for. */
    public record Settings(int connections, int messageSize, int messagesPerConnection, long timeoutMillis,
            SocketOptions options) {
        public Settings {
            if (connections < 1 || messageSize < 1 || messagesPerConnection < 1 || timeoutMillis < 1) {
                throw new IllegalArgumentException("connections, message size, messages and timeout must be positive");
            }
            if (options == null) {
                throw new IllegalArgumentException("options must not be null");
            }
        }
    }

    /**
     * The outcome of a run that echoed every message.
     *
     * @param messages messages echoed and verified, over all connections
     * @param bytes bytes echoed and verified
     * @param elapsedNanos from the first connect to the last echo
     * @param rttP50Nanos median round-trip time
     * @param rttP99Nanos 99th percentile round-trip time
     * @param rttMaxNanos largest round-trip time
     */
    public record Result(int connections, int messageSize, long messages, long bytes, long elapsedNanos,
            long rttP50Nanos, long rttP99Nanos, long rttMaxNanos) {

        /** @return messages echoed per second over the run. */
        public double messagesPerSecond() {
            return elapsedNanos == 0 ? 0 : messages * 1e9 / elapsedNanos;
        }

        /** @return a one-line summary such as {@code "2 x 500 msgs of 64 B: RTT p50 31 us, p99 80 us"}. */
        public String summary() {
            return String.format("%d x %d msgs of %d B: RTT p50 %d us, p99 %d us", connections, messages / connections,
                    messageSize, TimeUnit.NANOSECONDS.toMicros(rttP50Nanos), TimeUnit.NANOSECONDS.toMicros(rttP99Nanos));
        }
    }

    /** Why a run failed: names the connection, how far it got and the reason. */
    public static final class EchoException extends IOException {
        private static final long serialVersionUID = 1L;

        EchoException(String message) {
            super(message);
        }
    }

    private EchoClient() {
    }

    /**
     * Starts a run against the echo server at {@code server}.
     *
     * @return a future completed with the result once every message was echoed and verified and
     *     every connection closed, or exceptionally with an {@link EchoException} or a
     *     {@link TimeoutException} after everything was closed
     */
    public static CompletableFuture<Result> run(NetworkStack stack, SocketAddress server, Settings settings) {
        Run run = new Run(stack, server, settings);
        run.start();
        return run.result;
    }

    /** One run: its connections and the aggregate future. */
    private static final class Run {
        final NetworkStack stack;
        final SocketAddress server;
        final Settings settings;
        final CompletableFuture<Result> result = new CompletableFuture<>();
        final Connection[] connections;
        final AtomicInteger remaining;
        final long startNanos = System.nanoTime();

        Run(NetworkStack stack, SocketAddress server, Settings settings) {
            this.stack = stack;
            this.server = server;
            this.settings = settings;
            this.connections = new Connection[settings.connections()];
            this.remaining = new AtomicInteger(settings.connections());
            // Whoever completes the result first (us, a timeout, the caller cancelling), nothing stays open.
            result.whenComplete((r, failure) -> {
                if (failure != null) {
                    abortAll();
                }
            });
        }

        void start() {
            for (int i = 0; i < connections.length; i++) {
                Worker worker;
                ConnectedSocket socket;
                try {
                    worker = stack.leastLoadedWorker();
                    socket = stack.connect(server, settings.options(), worker);
                } catch (IOException | RuntimeException e) {
                    fail(new EchoException("connection " + i + ": cannot connect to "
                            + SocketAddresses.format(server) + ": " + e.getMessage()));
                    return;
                }
                Connection c = new Connection(this, i, socket);
                connections[i] = c;
                if (result.isDone()) {
                    // Failed meanwhile: abortAll() may have run before this connection existed.
                    socket.close();
                    return;
                }
                if (!socket.worker().center().execute(c::register)) {
                    socket.close();
                    fail(new EchoException("connection " + i + ": worker " + socket.worker().center().name()
                            + " is shut down"));
                    return;
                }
            }
        }

        void finished() {
            if (remaining.decrementAndGet() != 0) {
                return;
            }
            // The decrement chain orders every connection's writes before this read.
            int perConnection = settings.messagesPerConnection();
            long[] all = new long[connections.length * perConnection];
            for (int i = 0; i < connections.length; i++) {
                System.arraycopy(connections[i].rtts, 0, all, i * perConnection, perConnection);
            }
            Arrays.sort(all);
            long messages = all.length;
            result.complete(new Result(connections.length, settings.messageSize(), messages,
                    messages * settings.messageSize(), System.nanoTime() - startNanos,
                    EchoPattern.percentile(all, 50), EchoPattern.percentile(all, 99), all[all.length - 1]));
        }

        void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }

        void abortAll() {
            for (Connection c : connections) {
                if (c != null) {
                    c.abortFromAnyThread();
                }
            }
        }
    }

    /** One connection; every method but {@link #abortFromAnyThread()} runs on its worker's loop. */
    private static final class Connection implements FileEventHandler {
        private static final int CONNECTING = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;

        final Run run;
        final int index;
        final ConnectedSocket socket;
        final long[] rtts;
        private final int size;
        private final ByteBuffer sendBuffer;
        private final ByteBuffer receiveBuffer;
        private final BufferList pending = new BufferList();
        private final Runnable resume = () -> onFileEvent(EventMask.READABLE);
        private EventCenter center;
        private FileEvent event;
        private TimeEvent timeout;
        private int state = CONNECTING;
        private int seq;
        private long sentAt;

        Connection(Run run, int index, ConnectedSocket socket) {
            this.run = run;
            this.index = index;
            this.socket = socket;
            this.size = run.settings.messageSize();
            this.rtts = new long[run.settings.messagesPerConnection()];
            this.sendBuffer = ByteBuffer.allocateDirect(size);
            this.receiveBuffer = ByteBuffer.allocateDirect(size);
        }

        void register() {
            center = socket.worker().center();
            if (run.result.isDone()) {
                finish();
                return;
            }
            try {
                timeout = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(run.settings.timeoutMillis()),
                        this::onTimeout);
                event = center.createFileEvent(socket, EventMask.WRITABLE, this);
            } catch (IOException | RuntimeException e) {
                fail("cannot watch the socket: " + e.getMessage());
            }
        }

        @Override
        public void onFileEvent(int readyMask) {
            if (state == DONE) {
                return;
            }
            try {
                if (state == CONNECTING) {
                    int connected = socket.isConnected();
                    if (connected == 0) {
                        return;
                    }
                    if (connected < 0) {
                        fail("connect to " + SocketAddresses.format(run.server) + " failed: " + Errno.name(connected));
                        return;
                    }
                    state = RUNNING;
                    sendNext();
                    return;
                }
                if (!pending.isEmpty()) {
                    flush();
                }
                if (state == RUNNING) {
                    receive();
                }
            } catch (RuntimeException e) {
                fail("internal error: " + e);
            }
        }

        private void sendNext() {
            sendBuffer.clear();
            EchoPattern.fill(sendBuffer, index, seq, size);
            sendBuffer.flip();
            pending.append(sendBuffer);
            sentAt = System.nanoTime();
            flush();
        }

        private void flush() {
            long n = socket.send(pending, false);
            if (n < 0) {
                fail("send failed: " + Errno.name((int) n));
                return;
            }
            event.setMask(pending.isEmpty() ? EventMask.READABLE : EventMask.ALL);
        }

        private void receive() {
            for (int round = 0; round < EchoServer.MAX_ROUNDS_PER_EVENT; round++) {
                int before = receiveBuffer.position();
                int r = socket.read(receiveBuffer);
                if (r == -Errno.EAGAIN) {
                    return;
                }
                if (r == 0) {
                    fail("the server closed the connection");
                    return;
                }
                if (r < 0) {
                    fail("read failed: " + Errno.name(r));
                    return;
                }
                int bad = EchoPattern.firstMismatch(receiveBuffer, before, receiveBuffer.position(), index, seq);
                if (bad >= 0) {
                    fail("wrong byte at offset " + bad + " of message " + seq);
                    return;
                }
                if (receiveBuffer.hasRemaining()) {
                    continue;
                }
                rtts[seq] = System.nanoTime() - sentAt;
                receiveBuffer.clear();
                seq++;
                if (seq == rtts.length) {
                    state = DONE;
                    finish();
                    run.finished();
                    return;
                }
                // Ping-pong: nothing more can arrive before this message is echoed, so no extra read.
                sendNext();
                return;
            }
            if (!center.execute(resume)) {
                fail("worker shut down");
            }
        }

        private void onTimeout() {
            timeout = null;
            if (state == DONE) {
                return;
            }
            String reason = "echo to " + SocketAddresses.format(run.server) + " timed out after "
                    + run.settings.timeoutMillis() + " ms: connection " + index + " had " + seq + " of "
                    + rtts.length + " messages echoed" + (state == CONNECTING ? " (still connecting)" : "");
            finish();
            run.fail(new TimeoutException(reason));
        }

        private void fail(String reason) {
            if (state == DONE) {
                return;
            }
            state = DONE;
            finish();
            run.fail(new EchoException("echo to " + SocketAddresses.format(run.server) + ", connection " + index
                    + " after " + seq + " of " + rtts.length + " messages: " + reason));
        }

        /** Releases everything this connection holds; on its loop. */
        private void finish() {
            state = DONE;
            if (timeout != null) {
                timeout.cancel();
                timeout = null;
            }
            if (event != null) {
                event.cancel();
            }
            pending.clear();
            socket.close();
        }

        void abortFromAnyThread() {
            EventCenter c = socket.worker().center();
            if (c.inEventLoop()) {
                finish();
            } else if (!c.execute(this::finish)) {
                socket.close();
            }
        }
    }
}
