package io.ferry.messenger.component;

import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Policy;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.wire.FrameReader;
import io.ferry.api.net.SocketOptions;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A messenger's configuration after checking (PID {@value MessengerConfig#PID}). Immutable; any
 * thread. {@link #parse} never throws: a bad value comes back as a {@link Parsed#error()} naming it.
 *
 * @param name the messenger's name
 * @param myName who it is
 * @param bind the address to listen on, or null for a client-only messenger
 * @param nonce the fixed address nonce, or 0 for a random one per start
 * @param stackTarget the filter selecting the network stack
 * @param defaultPolicy policy for peers without their own
 * @param policies policies by peer type
 * @param throttleMessages received messages dispatchers may hold
 * @param throttleBytes received bytes dispatchers may hold
 * @param maxMessageBytes largest message accepted
 * @param keepaliveIntervalMillis KEEPALIVE2 interval, 0 for never
 * @param keepaliveTimeoutMillis silence before a fault, 0 for never
 * @param crc crc32c of the data section (Ceph's ms_crc_data); header, front and middle crcs are always on
 * @param answerPing answer MPing with an empty front
 */
public record MessengerOptions(String name, EntityName myName, InetSocketAddress bind, int nonce, String stackTarget,
        Policy defaultPolicy, Map<Integer, Policy> policies, int throttleMessages, long throttleBytes, long maxMessageBytes,
        long keepaliveIntervalMillis, long keepaliveTimeoutMillis, boolean crc, boolean answerPing) {

    /** The outcome of {@link #parse}: options, or the reason they were refused. */
    public record Parsed(MessengerOptions options, String error) {
        public boolean ok() {
            return options != null;
        }
    }

    public MessengerOptions {
        policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    }

    /** @return the options every property left at its default gives. */
    public static MessengerOptions defaults() {
        return parse(Map.of()).options();
    }

    /** @return the settings for a new {@code AsyncMessenger} (a random nonce when none is fixed). */
    public MessengerSettings settings() {
        int n = nonce != 0 ? nonce : 1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE - 1);
        MessengerSettings d = MessengerSettings.defaults(name, myName);
        return new MessengerSettings(name, myName, n, maxMessageBytes, throttleMessages, throttleBytes,
                TimeUnit.MILLISECONDS.toNanos(keepaliveIntervalMillis), TimeUnit.MILLISECONDS.toNanos(keepaliveTimeoutMillis),
                d.connectTimeoutNanos(), d.initialBackoffNanos(), d.maxBackoffNanos(), 0, SocketOptions.DEFAULT, crc);
    }

    /** Checks {@code p} (configuration properties; missing ones take their defaults). */
    public static Parsed parse(Map<String, ?> p) {
        try {
            String name = text(p, "name", MessengerConfig.NAME_DEFAULT);
            if (name.isEmpty()) {
                return refuse("name='' must not be empty");
            }
            String typeName = text(p, "entity.type", MessengerConfig.ENTITY_TYPE_DEFAULT);
            int type = PolicyNames.entityType(typeName);
            if (type < 0) {
                return refuse("entity.type='" + typeName + "' is not one of " + PolicyNames.TYPES);
            }
            long num = whole(p, "entity.num", MessengerConfig.ENTITY_NUM_DEFAULT, -1, Long.MAX_VALUE);
            String bindText = text(p, "bind", MessengerConfig.BIND_DEFAULT);
            InetSocketAddress bind = bindText.isEmpty() ? null : hostPort("bind", bindText);
            int nonce = (int) whole(p, "nonce", MessengerConfig.NONCE_DEFAULT, 0, Integer.MAX_VALUE);
            String target = text(p, "stack.target", MessengerConfig.STACK_TARGET_DEFAULT);
            if (!target.startsWith("(") || !target.endsWith(")")) {
                return refuse("stack.target='" + target + "' is not an LDAP filter such as (ferry.stack=posix)");
            }
            String policyName = text(p, "policy.default", MessengerConfig.POLICY_DEFAULT);
            Policy defaultPolicy = PolicyNames.policy(policyName);
            if (defaultPolicy == null) {
                return refuse("policy.default='" + policyName + "' is not one of " + PolicyNames.POLICIES);
            }
            Map<Integer, Policy> policies = new LinkedHashMap<>();
            for (String entry : list(p.get("policies"))) {
                int eq = entry.indexOf('=');
                int peer = eq < 0 ? -1 : PolicyNames.entityType(entry.substring(0, eq));
                Policy pol = eq < 0 ? null : PolicyNames.policy(entry.substring(eq + 1));
                if (peer < 0 || pol == null) {
                    return refuse("policies entry '" + entry + "' is not type=policy with a type of " + PolicyNames.TYPES
                            + " and a policy of " + PolicyNames.POLICIES);
                }
                policies.put(peer, pol);
            }
            int throttleMessages = (int) whole(p, "throttle.messages", MessengerConfig.THROTTLE_MESSAGES_DEFAULT, 1,
                    Integer.MAX_VALUE);
            long throttleBytes = whole(p, "throttle.bytes", MessengerConfig.THROTTLE_BYTES_DEFAULT, 1, Long.MAX_VALUE);
            long maxMessage = whole(p, "max.message.bytes", MessengerConfig.MAX_MESSAGE_BYTES_DEFAULT, 1,
                    FrameReader.MAX_MESSAGE_BYTES_LIMIT);
            long kaInterval = whole(p, "keepalive.interval.ms", MessengerConfig.KEEPALIVE_INTERVAL_MS_DEFAULT, 0,
                    TimeUnit.DAYS.toMillis(1));
            long kaTimeout = whole(p, "keepalive.timeout.ms", MessengerConfig.KEEPALIVE_TIMEOUT_MS_DEFAULT, 0,
                    TimeUnit.DAYS.toMillis(1));
            if (kaTimeout > 0 && kaInterval > 0 && kaTimeout <= kaInterval) {
                return refuse("keepalive.timeout.ms=" + kaTimeout + " must be longer than keepalive.interval.ms=" + kaInterval);
            }
            boolean crc = bool(p, "crc", MessengerConfig.CRC_DEFAULT);
            boolean answerPing = bool(p, "answer.ping", MessengerConfig.ANSWER_PING_DEFAULT);
            return new Parsed(new MessengerOptions(name, new EntityName(type, num), bind, nonce, target, defaultPolicy,
                    policies, throttleMessages, throttleBytes, maxMessage, kaInterval, kaTimeout, crc, answerPing), null);
        } catch (BadValue e) {
            return refuse(e.getMessage());
        }
    }

    /** Parses {@code host:port}, {@code [v6]:port} or {@code v1:host:port[/nonce]} (the nonce is ignored). */
    public static InetSocketAddress hostPort(String key, String text) {
        String t = text.trim();
        if (t.startsWith("v1:")) {
            t = t.substring(3);
        }
        int slash = t.lastIndexOf('/');
        if (slash >= 0) {
            t = t.substring(0, slash);
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new BadValue(key + "='" + text + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BadValue(key + "='" + text + "': the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new BadValue(key + "='" + text + "': the port must be 0..65535");
        }
        if (!host.matches("[0-9A-Fa-f:.]+") && !host.equals("localhost")) {
            throw new BadValue(key + "='" + text + "': give a numeric IP address (no name lookups)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new BadValue(key + "='" + text + "': " + e.getMessage());
        }
    }

    private static Parsed refuse(String why) {
        return new Parsed(null, why);
    }

    private static String text(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        return v == null ? def : String.valueOf(v).trim();
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String s = String.valueOf(v).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new BadValue(key + "='" + v + "' is neither true nor false");
    }

    /** Reads a whole number exactly (no truncation of 2.7) within [min, max]. */
    private static long whole(Map<String, ?> p, String key, long def, long min, long max) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        long n;
        try {
            if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
                n = ((Number) v).longValue();
            } else {
                n = new BigDecimal(String.valueOf(v).trim()).longValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadValue(key + "='" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new BadValue(key + "=" + n + " must be " + min + ".." + max);
        }
        return n;
    }

    private static List<String> list(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof String[]) {
            return Arrays.stream((String[]) v).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        if (v instanceof Iterable<?>) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (Object o : (Iterable<?>) v) {
                String s = String.valueOf(o).trim();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        return Arrays.stream(String.valueOf(v).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A configuration value that does not check out; the message names it. */
    static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message, null, false, false);
        }
    }
}
