package io.ferry.messenger.demo;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.ConnectionListener;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two messengers on one {@link NetworkStack} exchanging messages over 127.0.0.1: a server
 * ({@code osd.0}, bound) echoes every message of type {@value #TYPE_ECHO} back, moving its sections
 * into the reply without copying; a client ({@code osd.1}, lossless_peer) keeps {@code window}
 * messages in flight, checks that every echo comes back in order with its bytes intact, and records
 * round trips.
 *
 * <p><b>Threading:</b> {@link #run} may be called from any thread and returns at once; the future
 * completes on an event-loop thread, or exceptionally after the timeout. Both messengers are shut
 * down whichever way it ends.
 */
public final class LoopbackExchange {
    /** A message type of Ferry's own, outside Ceph's range. */
    public static final int TYPE_ECHO = 0x7F01;

    /** What a run measured. */
    public record Result(int messages, int size, long elapsedNanos, long p50Nanos, long p99Nanos, String stack) {
        public double messagesPerSecond() {
            return messages * 1e9 / Math.max(1, elapsedNanos);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d x %d B echoed in order over %s: %.0f msgs/s, rtt p50 %.1f us, p99 %.1f us",
                    messages, size, stack, messagesPerSecond(), p50Nanos / 1e3, p99Nanos / 1e3);
        }
    }

    private LoopbackExchange() {
    }

    /**
     * Runs one exchange.
     *
     * @param messages how many messages the client sends (each comes back)
     * @param size payload bytes per message (front section)
     * @param window messages in flight at a time (1: strict ping-pong)
     */
    public static CompletableFuture<Result> run(NetworkStack stack, int messages, int size, int window, long timeoutMillis) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        AsyncMessenger server = new AsyncMessenger(stack, MessengerSettings.defaults("demo-server", EntityName.osd(0)));
        AsyncMessenger client = new AsyncMessenger(stack, MessengerSettings.defaults("demo-client", EntityName.osd(1)));
        result.whenComplete((r, t) -> {
            client.shutdown();
            server.shutdown();
        });
        try {
            server.setDefaultPolicy(Policy.losslessPeer());
            client.setDefaultPolicy(Policy.losslessPeer());
            server.addDispatcher(new Echo());
            EntityAddress addr = server.bind(new InetSocketAddress("127.0.0.1", 0));
            Run run = new Run(result, messages, size, Math.max(1, Math.min(window, messages)), stack.type());
            client.addDispatcher(run);
            client.addListener(run);
            Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessPeer());
            run.start(c);
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(t -> {
            if (t instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new TimeoutException("the exchange did not finish within "
                        + timeoutMillis + " ms"));
            }
            return CompletableFuture.failedFuture(t);
        });
    }

    /** The server side: echo every {@link #TYPE_ECHO} message on the connection it came from. */
    static final class Echo implements Dispatcher {
        @Override
        public boolean wants(int type) {
            return type == TYPE_ECHO;
        }

        @Override
        public boolean dispatch(Connection connection, Message m) {
            Message reply = new Message(TYPE_ECHO, new BufferList().append(m.front()), new BufferList().append(m.middle()),
                    new BufferList().append(m.data())).tid(m.tid());
            m.release();
            connection.send(reply);
            return true;
        }
    }

    /** The client side; its state is touched on the connection's loop after {@link #start}. */
    private static final class Run implements Dispatcher, ConnectionListener {
        private final CompletableFuture<Result> result;
        private final int messages;
        private final int size;
        private final int window;
        private final String stack;
        private final long[] sentAt;
        private final long[] rtt;
        private Connection connection;
        private int sent;
        private int received;
        private long startNanos;

        Run(CompletableFuture<Result> result, int messages, int size, int window, String stack) {
            this.result = result;
            this.messages = messages;
            this.size = size;
            this.window = window;
            this.stack = stack;
            this.sentAt = new long[messages];
            this.rtt = new long[messages];
        }

        synchronized void start(Connection c) {
            connection = c;
            startNanos = System.nanoTime();
            while (sent < window) {
                sendNext();
            }
        }

        private void sendNext() {
            int i = sent++;
            byte[] payload = new byte[size];
            fill(payload, i);
            sentAt[i] = System.nanoTime();
            if (connection.send(new Message(TYPE_ECHO, BufferList.wrap(payload), new BufferList(), new BufferList()).tid(i))
                    != 0) {
                result.completeExceptionally(new IOException("the connection refused message " + i + ": " + connection.lastError()));
            }
        }

        @Override
        public boolean wants(int type) {
            return type == TYPE_ECHO;
        }

        @Override
        public synchronized boolean dispatch(Connection c, Message m) {
            long now = System.nanoTime();
            int i = (int) m.tid();
            byte[] got = m.front().toByteArray();
            m.release();
            if (i != received) {
                result.completeExceptionally(new IOException("echo " + i + " arrived when " + received + " was expected"));
                return true;
            }
            byte[] want = new byte[size];
            fill(want, i);
            if (!Arrays.equals(want, got)) {
                result.completeExceptionally(new IOException("echo " + i + " came back with other bytes (" + got.length + " B)"));
                return true;
            }
            rtt[i] = now - sentAt[i];
            received++;
            if (received == messages) {
                long elapsed = now - startNanos;
                long[] sorted = rtt.clone();
                Arrays.sort(sorted);
                result.complete(new Result(messages, size, elapsed, percentile(sorted, 50), percentile(sorted, 99), stack));
            } else if (sent < messages && !result.isDone()) {
                sendNext();
            }
            return true;
        }

        @Override
        public void onReset(Connection c, String reason) {
            result.completeExceptionally(new IOException("the connection was reset: " + reason));
        }

        @Override
        public void onFault(Connection c, String reason) {
            // lossless_peer reconnects and resends by itself; a lasting fault ends in the timeout
        }

        private static void fill(byte[] b, int seed) {
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (seed * 31 + k);
            }
        }
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
