package io.ferry.messenger.console;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.component.MessengerComponent;
import io.ferry.messenger.component.PolicyNames;
import io.ferry.messenger.demo.LoopbackExchange;
import io.ferry.messenger.demo.MonPing;
import io.ferry.messenger.internal.AsyncMessenger;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code msgr:status}, {@code msgr:ping <addr> [mon|osd|mds|mgr|client] [timeoutMs]}, {@code msgr:bench [messages] [size] [window]}.
 *
 * <p><b>Threading:</b> called on the shell session's thread; every wait is bounded. The references
 * are dynamic, so messengers that come and go are seen at once.
 */
@Component(service = MsgrCommands.class, property = {
        "osgi.command.scope=msgr",
        "osgi.command.function=status",
        "osgi.command.function=ping",
        "osgi.command.function=bench"
})
public final class MsgrCommands {
    static final long PING_TIMEOUT_MILLIS_DEFAULT = 5_000;
    static final int BENCH_MESSAGES_DEFAULT = 20_000;
    static final int BENCH_SIZE_DEFAULT = 64;
    static final int BENCH_WINDOW_DEFAULT = 1;
    static final long BENCH_TIMEOUT_MILLIS = 60_000;

    private final List<Messenger> messengers = new CopyOnWriteArrayList<>();
    /** Each messenger's service properties (for the refused-configuration note). */
    private final Map<Messenger, Map<String, Object>> properties = new java.util.concurrent.ConcurrentHashMap<>();

    @Reference(target = "(" + NetworkStack.TYPE_PROPERTY + "=posix)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile NetworkStack posix;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMessenger(Messenger messenger, Map<String, Object> props) {
        properties.put(messenger, props);
        messengers.add(messenger);
    }

    void updatedMessenger(Messenger messenger, Map<String, Object> props) {
        properties.put(messenger, props);
    }

    void removeMessenger(Messenger messenger) {
        messengers.remove(messenger);
        properties.remove(messenger);
    }

    /** Prints every messenger: address, stack, counters, and its connections. */
    public void status() {
        Map<Messenger, String> refused = new java.util.HashMap<>();
        properties.forEach((m, p) -> {
            Object why = p.get(MessengerComponent.REFUSED_PROPERTY);
            if (why != null) {
                refused.put(m, String.valueOf(why));
            }
        });
        System.out.print(StatusText.render(messengers, refused));
        System.out.flush();
    }

    /**
     * KEEPALIVE2 and MPing round trip to a monitor at {@code address} ({@code v1:127.0.0.1:6789};
     * {@code host:port/nonce} for a Ferry messenger, as {@code msgr:status} prints it).
     */
    public void ping(String address) {
        ping(address, "mon", PING_TIMEOUT_MILLIS_DEFAULT);
    }

    /** @param peerType what the peer is: mon, osd, mds, mgr or client (msgr v1's protocol version depends on it) */
    public void ping(String address, String peerType) {
        ping(address, peerType, PING_TIMEOUT_MILLIS_DEFAULT);
    }

    public void ping(String address, String peerType, long timeoutMillis) {
        PrintStream out = System.out;
        int type = PolicyNames.entityType(peerType);
        if (type < 0) {
            out.println("msgr:ping: peer type '" + peerType + "' is not one of " + PolicyNames.TYPES);
            return;
        }
        EntityAddress peer;
        try {
            peer = MonPing.parseAddress(address);
        } catch (IllegalArgumentException e) {
            out.println("msgr:ping: " + e.getMessage());
            return;
        }
        NetworkStack stack = stack();
        if (stack == null) {
            out.println("msgr:ping: no network stack (is io.ferry.core active?)");
            return;
        }
        try {
            MonPing.Result r = MonPing.run(stack, peer, type, timeoutMillis).get(timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
            out.println("msgr:ping " + r);
        } catch (ExecutionException e) {
            out.println("msgr:ping " + peer + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            out.println("msgr:ping " + peer + ": no answer within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("msgr:ping interrupted");
        }
        out.flush();
    }

    /** Two messengers in this node exchange messages over the stack; prints rate and round trips. */
    public void bench() {
        bench(BENCH_MESSAGES_DEFAULT, BENCH_SIZE_DEFAULT, BENCH_WINDOW_DEFAULT);
    }

    public void bench(int messages, int size) {
        bench(messages, size, BENCH_WINDOW_DEFAULT);
    }

    public void bench(int messages, int size, int window) {
        PrintStream out = System.out;
        if (messages < 1 || size < 0 || size > (16 << 20) || window < 1) {
            out.println("msgr:bench: need messages >= 1, 0 <= size <= 16 MiB, window >= 1");
            return;
        }
        NetworkStack stack = stack();
        if (stack == null) {
            out.println("msgr:bench: no network stack (is io.ferry.core active?)");
            return;
        }
        out.printf(Locale.ROOT, "msgr:bench: %d messages of %d B, %d in flight, two messengers over %s (lossless_peer, crc32c)%n",
                messages, size, window, stack.type());
        try {
            LoopbackExchange.Result r = LoopbackExchange.run(stack, messages, size, window, BENCH_TIMEOUT_MILLIS)
                    .get(BENCH_TIMEOUT_MILLIS + 1_000, TimeUnit.MILLISECONDS);
            out.printf(Locale.ROOT, "msgr:bench: %,.0f msgs/s, %.1f MB/s, rtt p50 %.1f us, p99 %.1f us%n",
                    r.messagesPerSecond(), r.messagesPerSecond() * size / 1e6, r.p50Nanos() / 1e3, r.p99Nanos() / 1e3);
        } catch (ExecutionException e) {
            out.println("msgr:bench failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            out.println("msgr:bench: did not finish within " + BENCH_TIMEOUT_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("msgr:bench interrupted");
        }
        out.flush();
    }

    /** The stack of the first Ferry messenger, else the posix stack service. */
    private NetworkStack stack() {
        for (Messenger m : messengers) {
            if (m instanceof AsyncMessenger) {
                return ((AsyncMessenger) m).stack();
            }
        }
        return posix;
    }

    /** Renders the status table; pure, for tests. */
    static final class StatusText {
        private StatusText() {
        }

        static String render(List<Messenger> messengers) {
            return render(messengers, Map.of());
        }

        /** @param refused why the last configuration of a messenger was refused, by messenger */
        static String render(List<Messenger> messengers, Map<Messenger, String> refused) {
            StringBuilder b = new StringBuilder();
            if (messengers.isEmpty()) {
                return "no messenger (configure PID io.ferry.messenger, or is io.ferry.core's stack up?)\n";
            }
            for (Messenger m : messengers) {
                b.append(String.format(Locale.ROOT, "messenger %s  %s  %s", m.name(), m.myName(), m.myAddress()));
                if (m instanceof AsyncMessenger) {
                    AsyncMessenger a = (AsyncMessenger) m;
                    b.append(String.format(Locale.ROOT, "  stack %s  held %d msgs / %d B%n", a.stack().type(),
                            a.messagesHeld(), a.bytesHeld()));
                    StringBuilder c = new StringBuilder("  counters");
                    for (Map.Entry<String, Long> e : a.counters().snapshot().entrySet()) {
                        c.append(' ').append(e.getKey()).append('=').append(e.getValue());
                    }
                    b.append(c).append('\n');
                } else {
                    b.append('\n');
                }
                String why = refused.get(m);
                if (why != null) {
                    b.append("  configuration refused: ").append(why).append("; running on the settings before it (the defaults at start)\n");
                }
                List<Connection> conns = new ArrayList<>(m.connections());
                if (conns.isEmpty()) {
                    b.append("  no connections\n");
                    continue;
                }
                b.append(String.format(Locale.ROOT, "  %-28s %-6s %-10s %-19s %8s %8s %6s %6s %5s %9s  %s%n", "peer", "type",
                        "state", "policy", "out_seq", "in_seq", "queued", "unack", "cseq", "ka rtt us", "last error"));
                for (Connection c : conns) {
                    long ka = c.lastKeepaliveRoundTripNanos();
                    b.append(String.format(Locale.ROOT, "  %-28s %-6s %-10s %-19s %8d %8d %6d %6d %5d %9s  %s%n",
                            c.peerAddress(), c.peerType() < 0 ? "?" : EntityName.typeName(c.peerType()), c.state(),
                            PolicyNames.name(c.policy()), c.outSeq(), c.inSeq(), c.queuedMessages(), c.unackedMessages(),
                            c.connectSeq(), ka < 0 ? "-" : String.format(Locale.ROOT, "%.1f", ka / 1e3),
                            c.lastError() == null ? "" : c.lastError()));
                }
            }
            return b.toString();
        }
    }
}
