package io.ferry.messenger.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorkerPool;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.testing.Inbox;
import io.ferry.messenger.testing.Messengers;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.netstack.shm.stack.ShmNetworkStack;
import io.ferry.testkit.EventLoops;
import io.ferry.unix.Unix;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two lossless messengers over the real {@link ShmNetworkStack}: msgr v1 entity addresses are
 * IP:port, which the shm stack maps to its {@code node/inet/<ip>:<port>} listener names, so the
 * messenger needs nothing shm-specific (as with the DS component configured with
 * {@code (ferry.stack=shm)}).
 */
class MessengerOverShmTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TYPE_TEST = 0x7001;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private Path dir;
    private ShmNetworkStack stack;
    private final List<AsyncMessenger> messengers = new ArrayList<>();

    @BeforeEach
    void startStack() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        dir = Files.createTempDirectory("ferry-msgr-shm");
        stack = new ShmNetworkStack(EventLoopWorkerPool.start("msgr-shm", 2, new EpollDriverFactory()),
                ShmControlServer.Config.defaults(dir.resolve("s").resolve("shm.sock")));
        stack.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            if (stack != null) {
                Messengers.shutdownAndCheck(messengers, stack::openSockets, WAIT);
            }
        } finally {
            if (stack != null) {
                assertTrue(stack.stop(5_000));
            }
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("s"));
                Files.deleteIfExists(dir);
            }
        }
    }

    private AsyncMessenger messenger(String name, EntityName me) {
        MessengerSettings s = MessengerSettings.defaults(name, me)
                .withBackoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50));
        AsyncMessenger m = new AsyncMessenger(stack, s);
        messengers.add(m);
        return m;
    }

    private static Message numbered(long i) {
        return new Message(TYPE_TEST, BufferList.wrap(Long.toString(i).getBytes(StandardCharsets.US_ASCII)),
                new BufferList(), new BufferList()).tid(i);
    }

    private void expectInOrder(Inbox inbox, long first, long last) throws InterruptedException {
        for (long expected = first; expected <= last; expected++) {
            Inbox.Received r = inbox.messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no message within " + WAIT.toMillis() + " ms, expecting " + expected + "\n"
                        + diagnosis());
            }
            assertEquals(expected, r.tid(), "in order, exactly once");
            assertEquals(Long.toString(expected), new String(r.front(), StandardCharsets.US_ASCII));
        }
    }

    /** What each messenger's connections and each shm socket look like: printed when a message does not come. */
    private String diagnosis() {
        StringBuilder b = new StringBuilder();
        for (AsyncMessenger m : messengers) {
            for (Connection c : m.connections()) {
                b.append(m.name()).append(": ").append(c).append(" queued ").append(c.queuedMessages()).append(" unacked ")
                        .append(c.unackedMessages()).append(" lastError ").append(c.lastError()).append('\n');
            }
            b.append(m.name()).append(" counters ").append(m.counters()).append('\n');
        }
        for (String line : stack.describeOpenSockets()) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    @Test
    void twoLosslessMessengersShouldExchangeOverShmAcrossForcedResets() throws Exception {
        AsyncMessenger a = messenger("a", EntityName.osd(1));
        AsyncMessenger b = messenger("b", EntityName.osd(2));
        a.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        b.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        EntityAddress aAddr = a.bind(LOOPBACK);
        EntityAddress bAddr = b.bind(LOOPBACK);
        Inbox aInbox = new Inbox(TYPE_TEST);
        Inbox bInbox = new Inbox(TYPE_TEST);
        a.addDispatcher(aInbox);
        b.addDispatcher(bInbox);

        Connection ab = a.connect(bAddr, EntityName.TYPE_OSD);
        int total = Integer.getInteger("ferry.msgr.shmMessages", 20_000);
        int resets = Messengers.sendWithRandomResets(a, b, ab, total, 11, MessengerOverShmTest::numbered);
        expectInOrder(bInbox, 1, total);

        Connection ba = b.connect(aAddr, EntityName.TYPE_OSD);
        for (int i = 1; i <= 100; i++) {
            ba.send(numbered(i));
        }
        expectInOrder(aInbox, 1, 100);

        assertTrue(resets > 0);
        assertTrue(a.counters().get("faults") + b.counters().get("faults") >= 1, "the resets were real faults");
        EventLoops.awaitCondition(() -> ab.unackedMessages() == 0 && ab.queuedMessages() == 0, WAIT, "all acknowledged");
        assertEquals(0, bInbox.messages.size(), "no duplicate after the last one");
        InetSocketAddress bIp = bAddr.address();
        assertEquals("127.0.0.1", bIp.getAddress().getHostAddress(), "an IP:port the shm stack handed out");
    }
}
