package io.ferry.messenger.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Policy;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessengerOptionsTest {

    private static MessengerOptions.Parsed parse(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return MessengerOptions.parse(m);
    }

    private static void assertRefused(String key, MessengerOptions.Parsed p) {
        assertFalse(p.ok(), "refused");
        assertNull(p.options());
        assertTrue(p.error().startsWith(key), "the reason names " + key + ": " + p.error());
    }

    @Test
    void shouldWorkOnTheDefaultsOfAFreshMachine() {
        MessengerOptions o = MessengerOptions.defaults();
        assertEquals("ferry", o.name());
        assertEquals(EntityName.osd(0), o.myName());
        assertEquals(new InetSocketAddress("127.0.0.1", 0), o.bind());
        assertEquals(Policy.losslessPeer(), o.defaultPolicy());
        assertEquals("(ferry.stack=posix)", o.stackTarget());
        assertEquals(4096, o.throttleMessages());
        assertTrue(o.crc());
        assertTrue(o.settings().crcData());
        assertFalse(parse("crc", "false").options().settings().crcData(), "crc=false turns data crcs off");
        assertTrue(o.settings().nonce() > 0, "a random positive nonce when none is fixed");
    }

    @Test
    void shouldReadEveryValueAsFileInstallGivesIt() {
        MessengerOptions o = parse("name", "node-a", "entity.type", "client", "entity.num", "42", "bind", "0.0.0.0:6800",
                "nonce", "77", "stack.target", "(ferry.stack=shm)", "policy.default", "lossless_client",
                "policies", new String[] {"mon=lossy_client", " osd = stateful_server"}, "throttle.messages", "10",
                "throttle.bytes", 1000L, "keepalive.interval.ms", "500", "keepalive.timeout.ms", "2000", "crc", "true",
                "answer.ping", "false").options();
        assertEquals("node-a", o.name());
        assertEquals(EntityName.client(42), o.myName());
        assertEquals(6800, o.bind().getPort());
        assertEquals(77, o.nonce());
        assertEquals(77, o.settings().nonce());
        assertEquals("(ferry.stack=shm)", o.stackTarget());
        assertEquals(Policy.losslessClient(), o.defaultPolicy());
        assertEquals(Policy.lossyClient(), o.policies().get(EntityName.TYPE_MON));
        assertEquals(Policy.statefulServer(), o.policies().get(EntityName.TYPE_OSD));
        assertEquals(10, o.settings().throttleMessages());
        assertEquals(1000L, o.settings().throttleBytes());
        assertEquals(500_000_000L, o.settings().keepaliveIntervalNanos());
        assertEquals(2_000_000_000L, o.settings().keepaliveTimeoutNanos());
        assertFalse(o.answerPing());
    }

    @Test
    void shouldReadAnEmptyBindAsClientOnly() {
        assertNull(parse("bind", "").options().bind());
    }

    @Test
    void shouldRefuseBadValuesNamingThem() {
        assertRefused("throttle.messages", parse("throttle.messages", "0"));
        assertRefused("throttle.messages", parse("throttle.messages", "2.7"));
        assertRefused("throttle.bytes", parse("throttle.bytes", "lots"));
        assertRefused("bind", parse("bind", "127.0.0.1"));
        assertRefused("bind", parse("bind", "127.0.0.1:70000"));
        assertRefused("bind", parse("bind", "example.org:6800"));
        assertRefused("nonce", parse("nonce", "-1"));
        assertRefused("entity.type", parse("entity.type", "wizard"));
        assertRefused("policy.default", parse("policy.default", "lossless"));
        assertRefused("policies", parse("policies", "osd:lossless_peer"));
        assertRefused("stack.target", parse("stack.target", "ferry.stack=posix"));
        assertRefused("keepalive.timeout.ms", parse("keepalive.interval.ms", "1000", "keepalive.timeout.ms", "1000"));
        assertRefused("crc", parse("crc", "maybe"));
        assertRefused("max.message.bytes", parse("max.message.bytes", Long.toString(1L << 40)));
        assertRefused("name", parse("name", " "));
    }

    @Test
    void shouldNameEveryPolicyBothWays() {
        for (String n : PolicyNames.POLICIES) {
            assertEquals(n, PolicyNames.name(PolicyNames.policy(n)));
        }
    }
}
