package io.ferry.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two messengers shut down while messages flow both ways (the {@code ./ferry demo} messenger step
 * logged "closing ...: bad frame ...: bad tag 0 in an open session" at shutdown): a shutdown is not
 * bad input. The connection stopped inside a dispatcher call (the demo shuts down from the client's
 * dispatcher when the last echo arrives) cleared its read buffer while the frame reader was still
 * walking it, so the reader went on decoding the emptied buffer — zeros and stale bytes — as frames.
 */
class ShutdownUnderTrafficTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TYPE_ECHO = 0x7203;

    private PosixStack posix;
    private AsyncMessenger client;
    private AsyncMessenger server;

    @BeforeEach
    void start() throws Exception {
        posix = new PosixStack("msgr-shutdown", 2);
        client = new AsyncMessenger(posix.stack(), MessengerSettings.defaults("client", EntityName.osd(1)));
        server = new AsyncMessenger(posix.stack(), MessengerSettings.defaults("server", EntityName.osd(0)));
        client.setDefaultPolicy(Policy.losslessPeer());
        server.setDefaultPolicy(Policy.losslessPeer());
        server.addDispatcher(onEcho((connection, m) -> {
            Message reply = new Message(TYPE_ECHO, new BufferList().append(m.front()), new BufferList(), new BufferList())
                    .tid(m.tid());
            m.release();
            connection.send(reply);
        }));
        server.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            client.shutdown();
            server.shutdown();
            assertTrue(client.awaitClosed(10, TimeUnit.SECONDS), "client connections closed");
            assertTrue(server.awaitClosed(10, TimeUnit.SECONDS), "server connections closed");
            assertEquals(0, client.messagesHeld() + server.messagesHeld(), "no received message left unreleased");
            EventLoops.awaitCondition(() -> posix.openSockets() == 0, WAIT, "every socket closed");
        } finally {
            posix.close();
        }
    }

    /** A dispatcher for the echo type only that takes every message it is offered. */
    private static Dispatcher onEcho(BiConsumer<Connection, Message> take) {
        return new Dispatcher() {
            @Override
            public boolean wants(int type) {
                return type == TYPE_ECHO;
            }

            @Override
            public boolean dispatch(Connection connection, Message m) {
                take.accept(connection, m);
                return true;
            }
        };
    }

    private static Message numbered(long n) {
        return new Message(TYPE_ECHO, BufferList.wrap(new byte[64]), new BufferList(), new BufferList()).tid(n);
    }

    /** As the demo does: the client's dispatcher shuts both messengers down, client first, with echoes in flight. */
    @Test
    void shutdownFromADispatcherWithFramesStillBufferedShouldNotReadThemAsBadInput() throws Exception {
        int window = 64;
        int stopAt = 500;
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger echoes = new AtomicInteger();
        client.addDispatcher(onEcho((connection, m) -> {
            long tid = m.tid();
            m.release();
            int n = echoes.incrementAndGet();
            if (n == stopAt) {
                // on the connection's own loop, with more echoes behind this one in the read buffer
                client.shutdown();
                server.shutdown();
                stopped.countDown();
            } else if (n < stopAt) {
                connection.send(numbered(tid + window));
            }
        }));
        Connection c = client.connect(server.myAddress(), EntityName.TYPE_OSD);
        for (int i = 0; i < window; i++) {
            c.send(numbered(i));
        }
        assertTrue(stopped.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the dispatcher shut both down");
        assertTrue(client.awaitClosed(10, TimeUnit.SECONDS));
        assertTrue(server.awaitClosed(10, TimeUnit.SECONDS));
        assertQuiet();
    }

    /** Another thread shuts both down, client first, while a sender keeps the link busy both ways. */
    @Test
    void shutdownFromAnotherThreadUnderTrafficShouldNotReportBadInput() throws Exception {
        AtomicInteger echoes = new AtomicInteger();
        Semaphore inFlight = new Semaphore(256);
        client.addDispatcher(onEcho((connection, m) -> {
            m.release();
            echoes.incrementAndGet();
            inFlight.release();
        }));
        Connection c = client.connect(server.myAddress(), EntityName.TYPE_OSD);
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            long n = 0;
            try {
                while (sending.get()) {
                    // at most 256 in flight; each wait bounded, so the thread ends once sending stops
                    if (inFlight.tryAcquire(10, TimeUnit.MILLISECONDS) && c.send(numbered(n++)) != 0) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown-test-sender");
        sender.start();
        try {
            EventLoops.awaitCondition(() -> echoes.get() >= 2000, WAIT, "echoes flowing");
            client.shutdown();
            server.shutdown();
        } finally {
            sending.set(false);
            sender.join(WAIT.toMillis());
        }
        assertTrue(client.awaitClosed(10, TimeUnit.SECONDS));
        assertTrue(server.awaitClosed(10, TimeUnit.SECONDS));
        assertQuiet();
    }

    private void assertQuiet() {
        for (AsyncMessenger m : new AsyncMessenger[] {client, server}) {
            MessengerCounters k = m.counters();
            assertNull(m.lastBadPeer(), m.name() + " reported no bad peer");
            assertEquals(0, k.badFrames.sum(), m.name() + " bad frames: " + k);
            assertEquals(0, k.protocolErrors.sum(), m.name() + " protocol errors: " + k);
            assertEquals(0, k.badCrc.sum(), m.name() + " bad crcs: " + k);
            assertEquals(0, k.handlerErrors.sum(), m.name() + " handler errors: " + k);
        }
    }
}
