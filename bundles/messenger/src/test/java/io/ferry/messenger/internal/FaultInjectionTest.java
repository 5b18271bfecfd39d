package io.ferry.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.testing.FaultInjectingStack;
import io.ferry.messenger.testing.FaultInjectingStack.Break;
import io.ferry.messenger.testing.FaultInjectingStack.Side;
import io.ferry.messenger.testing.Inbox;
import io.ferry.messenger.testing.Messengers;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections broken by {@link FaultInjectingStack} at chosen points — during the TCP connect, at
 * every handshake step on either side, in the middle of frames, at random byte counts — and Ceph's
 * field-bug cases: a fault during connect, sends racing faults, RESETSESSION on a lossless link,
 * and both peers reconnecting at once with equal connect_seq (the WAIT loop settles, bounded).
 * Every message arrives exactly once and in order.
 */
class FaultInjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TYPE_TEST = 0x7201;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Client writes: banner 9 | address 136 + connect 33 | in_seq 8 | messages. */
    private static final long[] CONNECTING_WRITES = {0, 4, 9, 70, 145, 160, 178, 182, 186, 200, 260};
    /** Client reads: banner 9 + 2 addresses 272 | reply 26 | acked seq 8 | messages, acks. */
    private static final long[] CONNECTING_READS = {0, 5, 9, 100, 281, 290, 307, 311, 315};
    /** Server writes: banner + 2 addresses 281 | reply 26 + seq 8 | messages, acks. */
    private static final long[] ACCEPTED_WRITES = {0, 100, 281, 290, 307, 311};
    /** Server reads: banner 9 + address 136 | connect 33 | in_seq 8 | messages. */
    private static final long[] ACCEPTED_READS = {0, 9, 100, 145, 160, 178, 182, 186, 200, 260};

    private PosixStack posix;
    private final List<AsyncMessenger> messengers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        posix = new PosixStack("msgr-faults", 2);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            Messengers.shutdownAndCheck(messengers, posix::openSockets, WAIT);
        } finally {
            posix.close();
        }
    }

    private AsyncMessenger peer(NetworkStack stack, String name, int num) throws Exception {
        AsyncMessenger m = new AsyncMessenger(stack, MessengerSettings.defaults(name, EntityName.osd(num))
                .withBackoff(2 * MS, 20 * MS));
        m.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        m.bind(LOOPBACK);
        messengers.add(m);
        return m;
    }

    private static Message numbered(long n) {
        byte[] front = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        return new Message(TYPE_TEST, BufferList.wrap(front), new BufferList(), BufferList.wrap(new byte[(int) (n % 4) * 50]))
                .tid(n);
    }

    private static void expectInOrder(Inbox inbox, long from, long to) throws InterruptedException {
        for (long i = from; i <= to; i++) {
            Inbox.Received r = inbox.next(WAIT);
            assertEquals(i, r.tid(), "in order, exactly once");
            assertEquals(Long.toString(i), new String(r.front(), StandardCharsets.US_ASCII));
        }
    }

    /** One connection broken at {@code b} on {@code side}; 40 messages arrive once, in order. */
    private void breakOnceAt(Side side, Break b) throws Exception {
        FaultInjectingStack faulty = new FaultInjectingStack(posix.stack());
        faulty.breakNext(side, b);
        AsyncMessenger a = peer(faulty, "a", 1);
        AsyncMessenger z = peer(faulty, "z", 2);
        Inbox inbox = new Inbox(TYPE_TEST);
        z.addDispatcher(inbox);
        Connection c = a.connect(z.myAddress(), EntityName.TYPE_OSD);
        for (int i = 1; i <= 20; i++) {
            c.send(numbered(i));
        }
        expectInOrder(inbox, 1, 20);
        for (int i = 21; i <= 40; i++) {
            c.send(numbered(i));
        }
        expectInOrder(inbox, 21, 40);
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0 && c.queuedMessages() == 0, WAIT, "all acknowledged");
        assertTrue(faulty.injected() >= 1, side + " " + b + " was reached");
        assertEquals(0, inbox.messages.size(), "no duplicates");
        for (AsyncMessenger m : messengers) {
            m.shutdown();
            assertTrue(m.awaitClosed(10, TimeUnit.SECONDS));
        }
        messengers.clear();
    }

    /**
     * A stopping stack wakes its listeners and then refuses to hand out workers: the processor
     * stops accepting quietly instead of throwing out of the listener's handler (which the event
     * center logged at ERROR with a stack trace at every shm stack stop).
     */
    @Test
    void acceptOnAStoppingStackShouldStopQuietly() throws Exception {
        FaultInjectingStack stopping = new FaultInjectingStack(posix.stack());
        AsyncMessenger m = peer(stopping, "m", 1);
        stopping.actAsStopping();
        try (java.net.Socket dialer = new java.net.Socket()) {
            dialer.connect(m.myAddress().address(), 5000); // completes in the kernel's backlog
            EventLoops.awaitCondition(() -> stopping.refusedWorkers() >= 1, WAIT, "the processor asked for a worker");
        }
        long failures = 0;
        for (io.ferry.api.event.Worker w : posix.stack().workers()) {
            // a task behind the listener's handler on each loop: the handler has returned (or thrown) when it runs
            java.util.concurrent.CountDownLatch passed = new java.util.concurrent.CountDownLatch(1);
            assertTrue(w.center().execute(passed::countDown));
            assertTrue(passed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            failures += ((io.ferry.core.event.DefaultEventCenter) w.center()).handlerFailures();
        }
        assertEquals(0, failures, "no event handler threw");
        assertEquals(0, m.counters().handlerErrors.sum());
        assertEquals(0, m.counters().accepted.sum(), "nothing accepted on a stopping stack");
    }

    @Test
    void faultDuringConnectShouldRetryAndDeliverEverything() throws Exception {
        breakOnceAt(Side.CONNECTING, Break.duringConnect());
    }

    @Test
    void faultAtEveryHandshakeStepOfTheConnectingSide() throws Exception {
        for (long n : CONNECTING_WRITES) {
            breakOnceAt(Side.CONNECTING, Break.afterWriting(n));
        }
        for (long n : CONNECTING_READS) {
            breakOnceAt(Side.CONNECTING, Break.afterReading(n));
        }
    }

    @Test
    void faultAtEveryHandshakeStepOfTheAcceptingSide() throws Exception {
        for (long n : ACCEPTED_WRITES) {
            breakOnceAt(Side.ACCEPTED, Break.afterWriting(n));
        }
        for (long n : ACCEPTED_READS) {
            breakOnceAt(Side.ACCEPTED, Break.afterReading(n));
        }
    }

    /**
     * Every socket on both sides breaks after a random number of bytes (mid-frame, mid-handshake)
     * while a sender thread keeps sending: sends race the faults.
     */
    @Test
    void sendsRacingRandomMidFrameFaultsShouldArriveOnceInOrder() throws Exception {
        FaultInjectingStack faulty = new FaultInjectingStack(posix.stack());
        faulty.breakRandomly(new Random(7), 64 * 1024);
        AsyncMessenger a = peer(faulty, "a", 1);
        AsyncMessenger z = peer(faulty, "z", 2);
        Inbox inbox = new Inbox(TYPE_TEST);
        z.addDispatcher(inbox);
        Connection c = a.connect(z.myAddress(), EntityName.TYPE_OSD);
        int total = Integer.getInteger("ferry.msgr.faultStreamMessages", 20_000);
        Thread sender = new Thread(() -> {
            for (int i = 1; i <= total; i++) {
                c.send(numbered(i));
            }
        }, "racing-sender");
        sender.start();
        expectInOrder(inbox, 1, total);
        sender.join(WAIT.toMillis());
        EventLoops.awaitCondition(() -> c.unackedMessages() == 0 && c.queuedMessages() == 0, WAIT, "all acknowledged");
        assertEquals(0, inbox.messages.size(), "no duplicates");
        assertTrue(faulty.injected() >= 5, "faults were injected: " + faulty.injected());
        System.out.println("random faults: " + total + " messages, " + faulty.injected() + " breaks, "
                + faulty.socketsCreated() + " sockets; a " + a.counters() + "; z " + z.counters());
    }

    /**
     * The receiving lossless peer forgets the session (as after a restart): the sender's
     * reconnect gets RESETSESSION, and the messages queued meanwhile arrive once, in order (Ceph
     * drops its out queue there and loses them). Messages in flight at the very moment the peer
     * forgets cannot be exactly-once by protocol — the peer lost its in_seq — so each round waits
     * for its acknowledgements first; sends racing faults are covered by the random-fault test.
     */
    @Test
    void resetSessionOnALosslessPeerLinkShouldLoseNothingQueued() throws Exception {
        AsyncMessenger a = peer(posix.stack(), "a", 1);
        AsyncMessenger z = peer(posix.stack(), "z", 2);
        Inbox inbox = new Inbox(TYPE_TEST);
        z.addDispatcher(inbox);
        Inbox events = new Inbox(-1);
        a.addListener(events);
        Connection c = a.connect(z.myAddress(), EntityName.TYPE_OSD);
        long next = 1;
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 100; i++) {
                c.send(numbered(next + i));
            }
            expectInOrder(inbox, next, next + 99);
            next += 100;
            EventLoops.awaitCondition(() -> c.unackedMessages() == 0, WAIT, "acknowledged before the reset");
            Connection atZ = z.lookup(a.myAddress());
            atZ.markDown(); // z forgets the session; a's socket breaks
            events.awaitEvent("fault", WAIT);
            for (int i = 0; i < 100; i++) {
                c.send(numbered(next + i)); // queued while a reconnects: RESETSESSION comes back
            }
            expectInOrder(inbox, next, next + 99);
            next += 100;
            events.awaitEvent("remote-reset", WAIT);
        }
        assertEquals(0, inbox.messages.size(), "no duplicates");
        assertEquals(Connection.State.OPEN, c.state());
    }

    /**
     * Both lossless peers fault at once and both reconnect with the same connect_seq, over and
     * over: Ceph's connection race (one side gets WAIT, the lower address wins) must settle every
     * time, bounded by the back-off, and both streams stay whole.
     */
    @Test
    void peersReconnectingAtOnceWithEqualConnectSeqShouldSettleEveryTime() throws Exception {
        AsyncMessenger a = peer(posix.stack(), "a", 1);
        AsyncMessenger z = peer(posix.stack(), "z", 2);
        Inbox atA = new Inbox(TYPE_TEST);
        Inbox atZ = new Inbox(TYPE_TEST);
        a.addDispatcher(atA);
        z.addDispatcher(atZ);
        EntityAddress aAddr = a.myAddress();
        EntityAddress zAddr = z.myAddress();
        Connection az = a.connect(zAddr, EntityName.TYPE_OSD);
        Connection za = z.connect(aAddr, EntityName.TYPE_OSD);
        long next = 1;
        int rounds = 30;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 50; i++) {
                az.send(numbered(next + i));
                za.send(numbered(next + i));
            }
            // both break at once, with messages queued on both sides: both reconnect with cs + 1
            Connection left = a.lookup(zAddr);
            Connection right = z.lookup(aAddr);
            if (left != null) {
                a.injectSocketFailure(left, "test: simultaneous fault");
            }
            if (right != null) {
                z.injectSocketFailure(right, "test: simultaneous fault");
            }
            expectInOrder(atZ, next, next + 49);
            expectInOrder(atA, next, next + 49);
            next += 50;
        }
        Connection finalAz = a.lookup(zAddr);
        Connection finalZa = z.lookup(aAddr);
        EventLoops.awaitCondition(() -> finalAz.unackedMessages() == 0 && finalZa.unackedMessages() == 0, WAIT,
                "all acknowledged");
        assertEquals(0, atA.messages.size() + atZ.messages.size(), "no duplicates");
        System.out.println("reconnect race: " + rounds + " rounds; a " + a.counters() + "; z " + z.counters());
    }
}
