package io.ferry.messenger.demo;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.ConnectionListener;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.component.MessengerOptions;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A round trip to a msgr v1 peer (a ceph-mon, or a Ferry messenger): a short-lived client messenger
 * ({@code client.?}, lossy_client) connects, sends a KEEPALIVE2 and an MPing, and reports the
 * handshake time, the KEEPALIVE2_ACK round trip and the MPing answer (a monitor answers with its
 * health as JSON; a Ferry messenger with its name). A peer that does not answer MPing still passes
 * on the KEEPALIVE2 round trip, with a note.
 *
 * <p><b>Threading:</b> {@link #run} from any thread, returns at once; the future completes on an
 * event-loop or timer thread, bounded by the timeout. The messenger is shut down whichever way it ends.
 */
public final class MonPing {
    /** Where a local ceph-mon listens by default (PROTOCOLS.md section 1). */
    public static final String DEFAULT_MON = "v1:127.0.0.1:6789";
    private static final long POLL_MILLIS = 1;
    /** After the keepalive answer, how long to wait for an MPing answer before reporting none. */
    private static final long PING_GRACE_MILLIS = 2_000;

    /** What a ping measured; times in nanoseconds, -1 where nothing came. */
    public record Result(EntityAddress peer, int peerType, long connectNanos, long keepaliveNanos, long pingNanos,
            String pingReply, long features) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%s (%s): handshake %.2f ms, keepalive2 rtt %.2f ms", peer,
                    peerType < 0 ? "?" : EntityName.typeName(peerType), connectNanos / 1e6, keepaliveNanos / 1e6));
            if (pingNanos >= 0) {
                b.append(String.format(Locale.ROOT, ", MPing rtt %.2f ms (reply %d B: %s)", pingNanos / 1e6,
                        pingReply.length(), abbreviate(pingReply)));
            } else {
                b.append(", no MPing answer within " + PING_GRACE_MILLIS + " ms (the peer does not answer pings)");
            }
            return b.toString();
        }
    }

    private MonPing() {
    }

    /** @return {@code text} as an entity address: {@code v1:host:port[/nonce]} or {@code host:port} (nonce 0). */
    public static EntityAddress parseAddress(String text) {
        String t = text.trim();
        int nonce = 0;
        int slash = t.lastIndexOf('/');
        if (slash >= 0) {
            try {
                nonce = Integer.parseUnsignedInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the nonce after / is not a number");
            }
        }
        try {
            return new EntityAddress(nonce, MessengerOptions.hostPort("address", t));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Pings a monitor at {@code peer} over {@code stack}. */
    public static CompletableFuture<Result> run(NetworkStack stack, EntityAddress peer, long timeoutMillis) {
        return run(stack, peer, EntityName.TYPE_MON, timeoutMillis);
    }

    /**
     * Pings {@code peer}, an entity of {@code peerType} (msgr v1 announces a protocol version per
     * pair of entity types, so a peer of another type answers BADPROTOVER).
     */
    public static CompletableFuture<Result> run(NetworkStack stack, EntityAddress peer, int peerType, long timeoutMillis) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        AsyncMessenger m = new AsyncMessenger(stack, MessengerSettings.defaults("msgr-ping", EntityName.client(EntityName.NEW))
                .withConnectTimeout(TimeUnit.MILLISECONDS.toNanos(timeoutMillis)));
        result.whenComplete((r, t) -> m.shutdown());
        Probe probe = new Probe(result, peer);
        m.addDispatcher(probe);
        m.addListener(probe);
        try {
            probe.startNanos = System.nanoTime();
            probe.connection = m.connect(peer, peerType, Policy.lossyClient());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).exceptionallyCompose(t -> {
            if (t instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new TimeoutException("no answer from " + peer + " within "
                        + timeoutMillis + " ms"));
            }
            return CompletableFuture.failedFuture(t);
        });
    }

    /** Listener and dispatcher of the ping; fields written on the connection's loop, read by the poller. */
    private static final class Probe implements Dispatcher, ConnectionListener {
        private final CompletableFuture<Result> result;
        private final EntityAddress peer;
        volatile Connection connection;
        volatile long startNanos;
        private volatile long connectNanos = -1;
        private volatile long pingSentNanos;
        private volatile long pingNanos = -1;
        private volatile String pingReply;
        private volatile long keepaliveNanos = -1;
        private volatile long keepaliveAnsweredAt;

        Probe(CompletableFuture<Result> result, EntityAddress peer) {
            this.result = result;
            this.peer = peer;
        }

        @Override
        public void onConnect(Connection c) {
            if (connectNanos >= 0) {
                return;
            }
            connectNanos = System.nanoTime() - startNanos;
            c.sendKeepalive();
            pingSentNanos = System.nanoTime();
            c.send(new Message(Message.TYPE_PING).priority(Message.PRIORITY_HIGH));
            poll(c);
        }

        /** Watches for the KEEPALIVE2_ACK (the API has no callback for it), then for the MPing answer. */
        private void poll(Connection c) {
            if (result.isDone()) {
                return;
            }
            long now = System.nanoTime();
            if (keepaliveNanos < 0 && c.lastKeepaliveRoundTripNanos() >= 0) {
                keepaliveNanos = c.lastKeepaliveRoundTripNanos();
                keepaliveAnsweredAt = now;
            }
            if (keepaliveNanos >= 0 && (pingNanos >= 0
                    || now - keepaliveAnsweredAt > TimeUnit.MILLISECONDS.toNanos(PING_GRACE_MILLIS))) {
                result.complete(new Result(peer, c.peerType(), connectNanos, keepaliveNanos, pingNanos,
                        pingReply == null ? "" : pingReply, c.features()));
                c.markDown();
                return;
            }
            Executor later = CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            later.execute(() -> poll(c));
        }

        @Override
        public boolean wants(int type) {
            return type == Message.TYPE_PING;
        }

        @Override
        public boolean dispatch(Connection c, Message m) {
            if (pingNanos < 0) {
                pingReply = text(m.front().toByteArray());
                pingNanos = System.nanoTime() - pingSentNanos;
            }
            m.release();
            return true;
        }

        @Override
        public void onFault(Connection c, String reason) {
            result.completeExceptionally(new IOException(peer + ": " + reason));
        }

        @Override
        public void onReset(Connection c, String reason) {
            result.completeExceptionally(new IOException(peer + ": " + reason));
        }
    }

    /**
     * The front as text: a monitor encodes its health as a Ceph string (le32 length, then the
     * bytes); a Ferry messenger sends plain UTF-8.
     */
    static String text(byte[] front) {
        if (front.length >= 4) {
            int len = (front[0] & 0xFF) | (front[1] & 0xFF) << 8 | (front[2] & 0xFF) << 16 | (front[3] & 0xFF) << 24;
            if (len == front.length - 4) {
                return new String(front, 4, len, StandardCharsets.UTF_8);
            }
        }
        return new String(front, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
