package io.ferry.messenger.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.testing.Inbox;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our msgr v1 client against a real ceph-mon (Debian's package) on loopback: handshake, KEEPALIVE2,
 * MPing round trip, and the mon's refusals (FEATURES, BADPROTOVER) surfaced as clear errors.
 * Skips loudly only when ceph-mon cannot be installed.
 */
class CephMonTest {
    private static final Logger LOG = LoggerFactory.getLogger(CephMonTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static CephMon mon;
    private static PosixStack stack;

    @BeforeAll
    static void startMon() throws Exception {
        String why = CephMon.unavailableReason();
        if (why != null) {
            LOG.warn("WARN: SKIPPING the real ceph-mon tests: {}", why);
            System.err.println("WARN: SKIPPING the real ceph-mon tests: " + why);
        }
        Assumptions.assumeTrue(why == null, "ceph-mon unavailable: " + why);
        mon = CephMon.start();
        stack = new PosixStack("msgr-ceph", 2);
    }

    @AfterAll
    static void stopMon() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (mon != null) {
                mon.close();
            }
        }
    }

    private static EntityAddress monAddress() {
        return new EntityAddress(0, new InetSocketAddress("127.0.0.1", mon.port()));
    }

    private static AsyncMessenger client(MessengerSettings settings) {
        return new AsyncMessenger(stack.stack(), settings);
    }

    @Test
    void shouldPingARealMonitorOverMsgrV1() throws Exception {
        AsyncMessenger msgr = client(MessengerSettings.defaults("ceph-client", EntityName.client(EntityName.NEW)));
        Inbox inbox = new Inbox(Message.TYPE_PING);
        msgr.addDispatcher(inbox);
        msgr.addListener(inbox);
        try {
            Connection c = msgr.connect(monAddress(), EntityName.TYPE_MON, Policy.lossyClient());
            inbox.awaitEvent("connect", WAIT);
            assertEquals(Connection.State.OPEN, c.state(), "lastError=" + c.lastError());
            assertTrue(c.policy().lossy(), "the mon makes client sessions lossy");

            c.sendKeepalive();
            EventLoops.awaitCondition(() -> c.lastKeepaliveAckNanos() != 0, WAIT, "KEEPALIVE2_ACK from ceph-mon");
            LOG.info("ceph-mon KEEPALIVE2 round trip: {} us", c.lastKeepaliveRoundTripNanos() / 1000);

            long start = System.nanoTime();
            assertEquals(0, c.send(new Message(Message.TYPE_PING)));
            Inbox.Received pong = inbox.next(WAIT);
            long rtt = System.nanoTime() - start;
            assertEquals(Message.TYPE_PING, pong.type());
            ByteBuffer front = ByteBuffer.wrap(pong.front()).order(ByteOrder.LITTLE_ENDIAN);
            int len = front.getInt();
            assertEquals(pong.front().length - 4, len, "front is one encoded string");
            String json = new String(pong.front(), 4, len, StandardCharsets.UTF_8);
            assertTrue(json.trim().startsWith("{") && json.contains("health"), json);
            LOG.info("ceph-mon MPing round trip: {} us; reply front {} bytes", rtt / 1000, pong.front().length);
            System.out.println("ceph-mon MPing round trip: " + rtt / 1000 + " us (first ping, includes nothing else)");

            long start2 = System.nanoTime();
            c.send(new Message(Message.TYPE_PING));
            inbox.next(WAIT);
            System.out.println("ceph-mon MPing round trip (second): " + (System.nanoTime() - start2) / 1000 + " us");
        } finally {
            msgr.shutdown();
            assertTrue(msgr.awaitClosed(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldSurfaceFeaturesRefusalAsAClearError() throws Exception {
        AsyncMessenger msgr = client(MessengerSettings.defaults("ceph-client-f0", EntityName.client(EntityName.NEW)));
        Inbox inbox = new Inbox(-1);
        msgr.addListener(inbox);
        try {
            Connection c = msgr.connect(monAddress(), EntityName.TYPE_MON, Policy.lossyClient().withFeaturesSupported(0));
            String reset = inbox.awaitEvent("reset", WAIT);
            assertTrue(reset.contains("FEATURES") && reset.contains("requires features 0x"), reset);
            assertEquals(Connection.State.CLOSED, c.state());
            assertTrue(c.lastError().contains("FEATURES"), c.lastError());
            LOG.info("features 0 -> {}", c.lastError());
        } finally {
            msgr.shutdown();
        }
    }

    @Test
    void shouldSurfaceBadProtocolVersionAsAClearError() throws Exception {
        AsyncMessenger msgr = client(MessengerSettings.defaults("ceph-client-p14", EntityName.client(EntityName.NEW))
                .withProtocolVersionOverride(14));
        Inbox inbox = new Inbox(-1);
        msgr.addListener(inbox);
        try {
            Connection c = msgr.connect(monAddress(), EntityName.TYPE_MON, Policy.lossyClient());
            String reset = inbox.awaitEvent("reset", WAIT);
            assertTrue(reset.contains("BADPROTOVER") && reset.contains("protocol 15") && reset.contains("announced 14"),
                    reset);
            assertEquals(Connection.State.CLOSED, c.state());
            LOG.info("protocol 14 -> {}", c.lastError());
        } finally {
            msgr.shutdown();
        }
    }
}
