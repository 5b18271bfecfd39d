package io.ferry.messenger.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.messenger.component.PingResponder;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MonPing} against a Ferry messenger (a real ceph-mon is M1's CephMonTest). */
class MonPingTest {
    private PosixStack stack;

    @BeforeEach
    void start() throws Exception {
        stack = new PosixStack("ping-test", 1);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            EventLoops.awaitCondition(() -> stack.openSockets() == 0, Duration.ofSeconds(10), "every socket closed");
        } finally {
            stack.close();
        }
    }

    @Test
    void shouldMeasureKeepaliveAndGetAnMPingAnswerFromAFerryMessenger() throws Exception {
        AsyncMessenger node = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("node", EntityName.osd(3)));
        try {
            node.addDispatcher(new PingResponder(node));
            EntityAddress addr = node.bind(new InetSocketAddress("127.0.0.1", 0));
            MonPing.Result r = MonPing.run(stack.stack(), MonPing.parseAddress(addr.toString()), EntityName.TYPE_OSD, 10_000)
                    .get(15, TimeUnit.SECONDS);
            assertTrue(r.keepaliveNanos() > 0, r.toString());
            assertTrue(r.pingNanos() > 0, r.toString());
            assertTrue(r.pingReply().contains("\"ferry\":\"node\"") && r.pingReply().contains("osd.3"), r.pingReply());
            assertEquals(EntityName.TYPE_OSD, r.peerType());
        } finally {
            node.shutdown();
            assertTrue(node.awaitClosed(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldFailClearlyWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> MonPing.run(stack.stack(), new EntityAddress(0, new InetSocketAddress("127.0.0.1", port)), 5_000)
                        .get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("127.0.0.1:" + port), e.getCause().getMessage());
    }

    @Test
    void shouldFailClearlyWhenThePeerClaimsAnotherNonce() throws Exception {
        AsyncMessenger node = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("node", EntityName.osd(3)));
        try {
            EntityAddress addr = node.bind(new InetSocketAddress("127.0.0.1", 0));
            EntityAddress wrong = new EntityAddress(addr.nonce() + 1, addr.address());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> MonPing.run(stack.stack(), wrong, EntityName.TYPE_OSD, 5_000).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains(addr.toString()), e.getCause().getMessage());
        } finally {
            node.shutdown();
            assertTrue(node.awaitClosed(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReportBadProtocolWhenThePeerIsOfAnotherType() throws Exception {
        AsyncMessenger node = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("node", EntityName.osd(3)));
        try {
            EntityAddress addr = node.bind(new InetSocketAddress("127.0.0.1", 0));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> MonPing.run(stack.stack(), addr, EntityName.TYPE_MON, 5_000).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("BADPROTOVER"), e.getCause().getMessage());
        } finally {
            node.shutdown();
            assertTrue(node.awaitClosed(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldReadAMonitorsCephStringAndPlainText() {
        byte[] ceph = {5, 0, 0, 0, '{', '"', 'a', '"', '}'};
        assertEquals("{\"a\"}", MonPing.text(ceph));
        assertEquals("plain", MonPing.text("plain".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("a b", MonPing.abbreviate("a\u0001\n b"));
    }

    @Test
    void shouldParseAddressesAsCephPrintsThem() {
        assertEquals(new EntityAddress(0, new InetSocketAddress("127.0.0.1", 6789)), MonPing.parseAddress("v1:127.0.0.1:6789"));
        assertEquals(new EntityAddress(1234, new InetSocketAddress("127.0.0.1", 6800)),
                MonPing.parseAddress("v1:127.0.0.1:6800/1234"));
        assertEquals(6789, MonPing.parseAddress("[::1]:6789").address().getPort());
        assertThrows(IllegalArgumentException.class, () -> MonPing.parseAddress("mon.a"));
        assertThrows(IllegalArgumentException.class, () -> MonPing.parseAddress("127.0.0.1:6789/x"));
    }
}
