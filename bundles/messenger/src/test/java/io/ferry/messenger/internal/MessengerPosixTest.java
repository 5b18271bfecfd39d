package io.ferry.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.Errno;
import io.ferry.api.net.SocketOptions;
import io.ferry.messenger.testing.Inbox;
import io.ferry.messenger.testing.Messengers;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ferry messenger to Ferry messenger over the posix stack (epoll). */
class MessengerPosixTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TYPE_TEST = 0x7001;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private PosixStack stack;
    private final List<AsyncMessenger> messengers = new ArrayList<>();

    @BeforeEach
    void startStack() throws Exception {
        stack = new PosixStack("msgr-test", 2);
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            Messengers.shutdownAndCheck(messengers, stack::openSockets, WAIT);
        } finally {
            stack.close();
        }
    }

    private AsyncMessenger messenger(String name, EntityName me, MessengerSettings tweak) {
        MessengerSettings s = tweak != null ? tweak : MessengerSettings.defaults(name, me);
        AsyncMessenger m = new AsyncMessenger(stack.stack(), s);
        messengers.add(m);
        return m;
    }

    private AsyncMessenger messenger(String name, EntityName me) {
        return messenger(name, me, null);
    }

    private static Message message(int i, int priority) {
        byte[] front = ("front-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] middle = ("middle-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[(i % 7) * 100];
        new Random(i).nextBytes(data);
        return new Message(TYPE_TEST, BufferList.wrap(front), BufferList.wrap(middle), BufferList.wrap(data))
                .priority(priority).tid(i);
    }

    @Test
    void shouldCarryAllThreeSectionsBothWays() throws Exception {
        AsyncMessenger server = messenger("server", EntityName.osd(0));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
        Inbox serverInbox = new Inbox(TYPE_TEST);
        server.addDispatcher((conn, m) -> {
            if (m.type() != TYPE_TEST) {
                return false;
            }
            serverInbox.dispatch(conn, m);
            conn.send(message(1000, Message.PRIORITY_DEFAULT));
            return true;
        });
        EntityAddress addr = server.bind(LOOPBACK);

        AsyncMessenger client = messenger("client", EntityName.client(1));
        Inbox clientInbox = new Inbox(TYPE_TEST);
        client.addDispatcher(clientInbox);
        client.addListener(clientInbox);
        Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
        assertEquals(0, c.send(message(3, Message.PRIORITY_DEFAULT)));

        Inbox.Received got = serverInbox.next(WAIT);
        assertArrayEquals("front-3".getBytes(StandardCharsets.UTF_8), got.front());
        assertArrayEquals("middle-3".getBytes(StandardCharsets.UTF_8), got.middle());
        assertEquals(300, got.data().length);
        assertEquals(1, got.seq());
        assertEquals(3, got.tid());

        Inbox.Received reply = clientInbox.next(WAIT);
        assertArrayEquals("front-1000".getBytes(StandardCharsets.UTF_8), reply.front());
        assertEquals(600, reply.data().length);
        byte[] expected = new byte[600];
        new Random(1000).nextBytes(expected);
        assertArrayEquals(expected, reply.data());
        clientInbox.awaitEvent("connect", WAIT);
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0, WAIT, "the server's ACK trims the sent list");
        assertEquals(Connection.State.OPEN, c.state());
        assertEquals(1, c.outSeq());
        assertEquals(1, c.inSeq());
    }

    @Test
    void shouldSendHigherPrioritiesFirst() throws Exception {
        // The server runs on a stack of its own whose only worker the test holds: the client's TCP
        // connect completes in the kernel, but the handshake cannot, so every message is queued
        // before the session opens, whatever the timing; then the session writes them by priority.
        PosixStack serverStack = new PosixStack("msgr-prio-server", 1);
        AsyncMessenger server = new AsyncMessenger(serverStack.stack(), MessengerSettings.defaults("server", EntityName.osd(0)));
        CountDownLatch release = new CountDownLatch(1);
        try {
            server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
            Inbox inbox = new Inbox(TYPE_TEST);
            server.addDispatcher(inbox);
            EntityAddress addr = server.bind(LOOPBACK);
            CountDownLatch held = new CountDownLatch(1);
            assertTrue(serverStack.stack().workers().get(0).center().execute(() -> {
                held.countDown();
                try {
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS); // bounded: the test releases it below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the server's worker is held");
            AsyncMessenger client = messenger("client", EntityName.client(1));
            Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
            int[] priorities = {Message.PRIORITY_LOW, Message.PRIORITY_DEFAULT, Message.PRIORITY_HIGHEST,
                Message.PRIORITY_HIGH, Message.PRIORITY_LOW, Message.PRIORITY_HIGH};
            for (int i = 0; i < priorities.length; i++) {
                assertEquals(0, c.send(message(i, priorities[i])));
            }
            // (a send moves from the hand-over queue to the priority queues on the client's loop)
            EventLoops.awaitCondition(() -> c.queuedMessages() == 6, WAIT, "all six queued");
            assertEquals(Connection.State.CONNECTING, c.state(), "the handshake cannot finish while the server is held");
            release.countDown();
            int[] expectedTids = {2, 3, 5, 1, 0, 4};
            for (int expectedTid : expectedTids) {
                assertEquals(expectedTid, inbox.next(WAIT).tid());
            }
            EventLoops.awaitCondition(() -> c.unackedMessages() == 0, WAIT, "all acknowledged");
        } finally {
            release.countDown();
            server.shutdown();
            assertTrue(server.awaitClosed(10, TimeUnit.SECONDS), "server connections closed");
            EventLoops.awaitCondition(() -> serverStack.openSockets() == 0, WAIT, "every server socket closed");
            serverStack.close();
        }
    }

    @Test
    void shouldKeepOrderWithoutLossOrDuplicatesAcrossForcedSocketResets() throws Exception {
        MessengerSettings fast = MessengerSettings.defaults("a", EntityName.osd(1)).withBackoff(
                TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50));
        AsyncMessenger a = messenger("a", EntityName.osd(1), fast);
        AsyncMessenger b = messenger("b", EntityName.osd(2), new MessengerSettings("b", EntityName.osd(2), 77,
                fast.maxMessageBytes(), fast.throttleMessages(), fast.throttleBytes(), 0, 0, fast.connectTimeoutNanos(),
                fast.initialBackoffNanos(), fast.maxBackoffNanos(), 0, fast.socketOptions()));
        a.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        b.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        a.bind(LOOPBACK);
        EntityAddress bAddr = b.bind(LOOPBACK);
        Inbox inbox = new Inbox(TYPE_TEST);
        b.addDispatcher(inbox);
        Connection c = a.connect(bAddr, EntityName.TYPE_OSD);

        int total = Integer.getInteger("ferry.msgr.resetStreamMessages", 200_000);
        int resets = Messengers.sendWithRandomResets(a, b, c, total, 3, i -> new Message(TYPE_TEST,
                BufferList.wrap(Long.toString(i).getBytes(StandardCharsets.US_ASCII)), new BufferList(), new BufferList()).tid(i));
        long expected = 1;
        while (expected <= total) {
            Inbox.Received r = inbox.next(WAIT);
            assertEquals(expected, r.tid(), "in order, exactly once");
            assertEquals(Long.toString(expected), new String(r.front(), StandardCharsets.US_ASCII));
            expected++;
        }
        assertTrue(resets > 0);
        assertTrue(a.counters().get("faults") + b.counters().get("faults") >= 1, "the resets were real faults");
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0 && c.queuedMessages() == 0, WAIT, "all acknowledged");
        assertEquals(0, inbox.messages.size(), "no duplicate after the last one");
    }

    @Test
    void shouldResendAfterAReceiverSideReset() throws Exception {
        AsyncMessenger a = messenger("a", EntityName.osd(1), MessengerSettings.defaults("a", EntityName.osd(1))
                .withBackoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50)));
        AsyncMessenger b = messenger("b", EntityName.osd(2));
        a.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        b.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        a.bind(LOOPBACK);
        EntityAddress bAddr = b.bind(LOOPBACK);
        Inbox inbox = new Inbox(TYPE_TEST);
        b.addDispatcher(inbox);
        Connection c = a.connect(bAddr, EntityName.TYPE_OSD);
        for (int i = 1; i <= 10; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT));
        }
        for (int i = 1; i <= 10; i++) {
            assertEquals(i, inbox.next(WAIT).tid());
        }
        b.injectSocketFailure(b.lookup(a.myAddress()), "test: receiver reset");
        for (int i = 11; i <= 20; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT));
        }
        for (int i = 11; i <= 20; i++) {
            assertEquals(i, inbox.next(WAIT).tid());
        }
        a.injectSocketFailure(c, "test: sender reset");
        for (int i = 21; i <= 30; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT));
        }
        for (int i = 21; i <= 30; i++) {
            assertEquals(i, inbox.next(WAIT).tid());
        }
    }

    /**
     * Ceph drops the out queue on RESETSESSION, losing messages on a lossless link; here the
     * messages queued while the server forgot the session are renumbered and delivered.
     */
    @Test
    void shouldDeliverMessagesQueuedAcrossRESETSESSION() throws Exception {
        AsyncMessenger server = messenger("server", EntityName.osd(0));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
        Inbox inbox = new Inbox(TYPE_TEST);
        server.addDispatcher(inbox);
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.client(9), MessengerSettings.defaults("client",
                EntityName.client(9)).withBackoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50)));
        Inbox events = new Inbox(-1);
        client.addListener(events);
        Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
        for (int i = 1; i <= 5; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT));
        }
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, inbox.next(WAIT).tid());
        }
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0, WAIT, "acknowledged");
        server.lookup(client.myAddress()).markDown(); // the server forgets the session
        // wait for the client to notice: a message racing the markDown may still reach the old session
        events.awaitEvent("fault", WAIT);
        for (int i = 6; i <= 10; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT)); // queued while the client reconnects
        }
        for (int i = 6; i <= 10; i++) {
            Inbox.Received r = inbox.next(WAIT);
            assertEquals(i, r.tid());
            assertEquals(i - 5, r.seq(), "the new session numbers from 1");
        }
        events.awaitEvent("remote-reset", WAIT);
        assertEquals(Connection.State.OPEN, c.state());
    }

    @Test
    void shouldFaultAHandshakeThatTimesOutAndBackOff() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            AsyncMessenger client = messenger("client", EntityName.client(3), MessengerSettings.defaults("client",
                    EntityName.client(3)).withConnectTimeout(TimeUnit.MILLISECONDS.toNanos(200)));
            Inbox events = new Inbox(-1);
            client.addListener(events);
            EntityAddress peer = new EntityAddress(0, new InetSocketAddress("127.0.0.1", silent.getLocalPort()));
            Connection c = client.connect(peer, EntityName.TYPE_OSD, Policy.losslessClient());
            String fault = events.awaitEvent("fault", WAIT);
            assertTrue(fault.contains("handshake timed out in CONNECTING_BANNER"), fault);
            EventLoops.awaitCondition(() -> client.counters().get("backoffs") >= 1, WAIT, "a back-off");
            c.markDown();
            events.awaitEvent("reset", WAIT);
        }
    }

    @Test
    void connectionChurnShouldLeaveNoDescriptorsBehind() throws Exception {
        AsyncMessenger server = messenger("mon-like", EntityName.mon(0));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statelessServer());
        EntityAddress addr = server.bind(LOOPBACK);
        Inbox inbox = new Inbox(TYPE_TEST);
        server.addDispatcher(inbox);
        long before = openFds();
        for (int round = 0; round < 30; round++) {
            AsyncMessenger client = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("c" + round,
                    EntityName.client(round)));
            Connection c = client.connect(addr, EntityName.TYPE_MON, Policy.lossyClient());
            c.send(message(round, Message.PRIORITY_DEFAULT));
            assertEquals(round, inbox.next(WAIT).tid());
            client.shutdown();
            assertTrue(client.awaitClosed(10, TimeUnit.SECONDS));
        }
        EventLoops.awaitCondition(() -> server.connections().isEmpty(), WAIT, "the server saw every client go");
        EventLoops.awaitCondition(() -> openFds() <= before + 2, WAIT, "descriptors back to " + before + " (+2)");
    }

    private static long openFds() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }

    /** Both lossless peers connect to each other at once (equal connect_seq): one session wins, nothing is lost. */
    @Test
    void peersConnectingAtOnceShouldSettleOnOneSessionWithoutLoss() throws Exception {
        AsyncMessenger a = messenger("a", EntityName.osd(1));
        AsyncMessenger b = messenger("b", EntityName.osd(2));
        for (AsyncMessenger m : List.of(a, b)) {
            m.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        }
        EntityAddress aAddr = a.bind(LOOPBACK);
        EntityAddress bAddr = b.bind(LOOPBACK);
        Inbox atA = new Inbox(TYPE_TEST);
        Inbox atB = new Inbox(TYPE_TEST);
        a.addDispatcher(atA);
        b.addDispatcher(atB);
        Connection ab = a.connect(bAddr, EntityName.TYPE_OSD);
        Connection ba = b.connect(aAddr, EntityName.TYPE_OSD);
        int total = 2000;
        for (int i = 1; i <= total; i++) {
            ab.send(message(i, Message.PRIORITY_DEFAULT));
            ba.send(message(i, Message.PRIORITY_DEFAULT));
        }
        for (int i = 1; i <= total; i++) {
            assertEquals(i, atB.next(WAIT).tid(), "a -> b in order");
            assertEquals(i, atA.next(WAIT).tid(), "b -> a in order");
        }
        EventLoops.awaitCondition(() -> ab.unackedMessages() == 0 && ba.unackedMessages() == 0, WAIT, "all acked");
        assertEquals(0, atA.messages.size() + atB.messages.size(), "no duplicates");
    }

    /**
     * A server whose dispatcher holds everything stops reading, so it never answers KEEPALIVE2:
     * the client's keepalive timeout faults the session, it reconnects, the server replaces the
     * socket under the same session, and once the dispatcher releases, every message arrives once.
     */
    @Test
    void keepaliveTimeoutShouldFaultASilentSessionAndResendWithoutDuplicates() throws Exception {
        AsyncMessenger server = messenger("server", EntityName.osd(0),
                MessengerSettings.defaults("server", EntityName.osd(0)).withThrottle(1, 1 << 20));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
        Inbox slow = new Inbox(TYPE_TEST, true);
        server.addDispatcher(slow);
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.client(4), MessengerSettings.defaults("client",
                EntityName.client(4)).withKeepalive(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(300))
                .withBackoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50)));
        Inbox events = new Inbox(-1);
        client.addListener(events);
        Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
        for (int i = 1; i <= 5; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT));
        }
        String fault = events.awaitEvent("fault", WAIT);
        assertTrue(fault.contains("keepalive timeout"), fault);
        int released = 0;
        while (released < 5) {
            Message m = slow.held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("only " + released + " messages arrived");
            }
            m.release();
            released++;
        }
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, slow.messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).tid());
        }
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0 && c.state() == Connection.State.OPEN, WAIT,
                "acknowledged on the new socket");
        assertEquals(0, slow.messages.size(), "no duplicates");
    }

    @Test
    void shouldReportResetOnALossyClientFault() throws Exception {
        AsyncMessenger server = messenger("mon-like", EntityName.mon(0));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statelessServer());
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.client(5));
        Inbox events = new Inbox(-1);
        client.addListener(events);
        Connection c = client.connect(addr, EntityName.TYPE_MON, Policy.lossyClient());
        events.awaitEvent("connect", WAIT);
        client.injectSocketFailure(c, "test: forced reset");
        String reset = events.awaitEvent("reset", WAIT);
        assertTrue(reset.contains("forced reset"), reset);
        assertEquals(Connection.State.CLOSED, c.state());
        assertEquals(-Errno.ESHUTDOWN, c.send(new Message(TYPE_TEST)));
        Connection again = client.connect(addr, EntityName.TYPE_MON, Policy.lossyClient());
        assertTrue(again != c, "a lossy client gets a new session");
        events.awaitEvent("connect", WAIT);
    }

    @Test
    void slowDispatcherShouldStopReadingInsteadOfGrowingMemory() throws Exception {
        MessengerSettings throttled = MessengerSettings.defaults("server", EntityName.osd(0)).withThrottle(10, 1 << 20);
        AsyncMessenger server = messenger("server", EntityName.osd(0), throttled);
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
        Inbox slow = new Inbox(TYPE_TEST, true);
        server.addDispatcher(slow);
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.client(1));
        Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
        for (int i = 0; i < 100; i++) {
            c.send(message(i, Message.PRIORITY_DEFAULT));
        }
        EventLoops.awaitCondition(() -> slow.held.size() == 10, WAIT, "ten messages held");
        EventLoops.awaitCondition(() -> server.counters().get("throttleStalls") > 0, WAIT, "reading paused");
        assertEquals(10, server.messagesHeld());
        assertEquals(10, slow.held.size(), "no more than the throttle admits while nothing is released");
        int delivered = 10;
        while (delivered < 100) {
            Message m = slow.held.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("stalled at " + delivered);
            }
            m.release();
            delivered++;
            assertTrue(server.messagesHeld() <= 10);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, slow.messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).tid());
        }
        EventLoops.awaitCondition(() -> slow.held.size() == 10, WAIT, "the last ten held");
        Message m;
        while ((m = slow.held.poll()) != null) {
            m.release();
        }
        EventLoops.awaitCondition(() -> server.messagesHeld() == 0 && server.bytesHeld() == 0, WAIT, "throttle empty");
    }

    @Test
    void shouldExchangeKeepalive2() throws Exception {
        AsyncMessenger server = messenger("server", EntityName.osd(0));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.client(1),
                MessengerSettings.defaults("client", EntityName.client(1)).withKeepalive(TimeUnit.MILLISECONDS.toNanos(20),
                        TimeUnit.SECONDS.toNanos(10)));
        Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
        EventLoops.awaitCondition(() -> c.lastKeepaliveAckNanos() != 0, WAIT, "KEEPALIVE2_ACK");
        assertTrue(c.lastKeepaliveRoundTripNanos() > 0);
    }

    @Test
    void badBannerShouldCloseOnlyThatConnection() throws Exception {
        AsyncMessenger server = messenger("server", EntityName.osd(0));
        server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
        Inbox inbox = new Inbox(TYPE_TEST);
        server.addDispatcher(inbox);
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.client(1));
        Connection good = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
        good.send(message(1, Message.PRIORITY_DEFAULT));
        inbox.next(WAIT);
        try (Socket raw = new Socket()) {
            raw.connect(addr.address(), 5000);
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            out.write(new byte[9 + 136]); // zeros: not "ceph v027"
            out.flush();
            InputStream in = raw.getInputStream();
            byte[] banner = in.readNBytes(9 + 272);
            assertEquals("ceph v027", new String(banner, 0, 9, StandardCharsets.US_ASCII));
            assertEquals(-1, in.read(), "the server closes the bad peer");
        }
        good.send(message(2, Message.PRIORITY_DEFAULT));
        assertEquals(2, inbox.next(WAIT).tid(), "the good connection is unaffected");
    }

    /**
     * Posix sessions are edge-triggered: no event comes for bytes a connection stopped short of.
     * 48 messages of 64 KiB queued at once, with 4 MiB socket buffers: the sender encodes up to
     * its 512 KiB high-water mark, the kernel takes all of it, and only the connection itself can
     * encode the rest; the receiver finds more than its 16 reads of 64 KiB per event. Both must
     * come back on their own (a continuation), in order, nothing lost.
     */
    @Test
    void edgeTriggeredSessionsShouldFinishWhatTheyStopShortOf() throws Exception {
        SocketOptions big = new SocketOptions(true, 4 << 20, 4 << 20, false, true, 512);
        MessengerSettings s = MessengerSettings.defaults("server", EntityName.osd(0));
        AsyncMessenger server = messenger("server", EntityName.osd(0), withSocketOptions(s, big));
        Inbox inbox = new Inbox(TYPE_TEST);
        server.addDispatcher(inbox);
        EntityAddress addr = server.bind(LOOPBACK);
        AsyncMessenger client = messenger("client", EntityName.osd(1),
                withSocketOptions(MessengerSettings.defaults("client", EntityName.osd(1)), big));
        Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessPeer());
        int count = 48;
        byte[] data = new byte[64 * 1024];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < count; i++) {
                data[0] = (byte) i;
                c.send(new Message(TYPE_TEST, BufferList.wrap(new byte[] {(byte) round}), new BufferList(),
                        BufferList.wrap(data.clone())).tid(i));
            }
            for (int i = 0; i < count; i++) {
                Inbox.Received r = inbox.next(WAIT);
                assertEquals(i, r.tid(), "message " + i + " of round " + round + " in order");
                assertEquals(round, r.front()[0]);
                assertEquals(64 * 1024, r.data().length);
                assertEquals((byte) i, r.data()[0]);
            }
        }
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0, WAIT, "everything acknowledged");
        assertEquals(0, inbox.messages.size(), "no duplicates");
    }

    private static MessengerSettings withSocketOptions(MessengerSettings s, SocketOptions o) {
        return new MessengerSettings(s.name(), s.myName(), s.nonce(), s.maxMessageBytes(), s.throttleMessages(),
                s.throttleBytes(), s.keepaliveIntervalNanos(), s.keepaliveTimeoutNanos(), s.connectTimeoutNanos(),
                s.initialBackoffNanos(), s.maxBackoffNanos(), s.protocolVersionOverride(), o, s.crcData());
    }
}
