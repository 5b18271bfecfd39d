package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Hot swap: a peer outside the framework ({@link MessengerPeer}) keeps sending numbered messages over
 * a lossless_peer session to the node's messenger (fixed port and nonce, so the peer finds it again)
 * while the messenger bundle is stopped and started, and then the core bundle (the posix stack under
 * the messenger). The peer reconnects each time, and a whiteboard dispatcher — registered by the test,
 * so it outlives both restarts — sees every number from 0 to N-1: nothing is lost. Duplicates (messages
 * the old messenger had received but not yet acknowledged) are allowed and counted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class MessengerHotSwapIT {
    private static final long WAIT_MILLIS = 30_000;
    private static final int TYPE_SEQ = 0x7F30;
    private static final int MESSAGES = 20_000;
    private static final int MAX_UNACKED = 512;
    private static final int NONCE = 424242;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.felixWithCore(MessengerHotSwapIT.class), FerryOptions.ferryBundle("messenger"));
    }

    @Test
    public void shouldLoseNothingWhileTheMessengerAndTheStackUnderItRestart() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigurationAdmin ca = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = ca.getConfiguration(MessengerInFelixIT.PID, null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", "hotswap");
        props.put("bind", "127.0.0.1:" + port);
        props.put("nonce", (long) NONCE);
        props.put("policy.default", "lossless_peer");
        config.update(props);

        ServiceTracker<Messenger, Messenger> messengers = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + Messenger.class.getName() + ")(" + Messenger.NAME_PROPERTY + "=hotswap))"),
                null);
        messengers.open();
        Received received = new Received();
        Hashtable<String, Object> dprops = new Hashtable<>();
        dprops.put(Dispatcher.TYPES_PROPERTY, Integer.toString(TYPE_SEQ));
        ServiceRegistration<Dispatcher> dispatcher = context.registerService(Dispatcher.class, received, dprops);
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        try (MessengerPeer peer = MessengerPeer.start("hotswap-peer", 8, 1_000)) {
            Messenger node = messengers.waitForService(WAIT_MILLIS);
            assertNotNull("the configured messenger", node);
            EntityAddress addr = new EntityAddress(NONCE, new InetSocketAddress("127.0.0.1", port));
            assertEquals(addr, node.myAddress());
            Connection c = peer.messenger().connect(addr, EntityName.TYPE_OSD, Policy.losslessPeer());

            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < MESSAGES; i++) {
                        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
                        while (c.unackedMessages() + c.queuedMessages() > MAX_UNACKED) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("the session stayed full for " + WAIT_MILLIS + " ms: " + c.state()
                                        + " " + c.lastError());
                            }
                            Thread.sleep(1);
                        }
                        ByteBuffer front = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, i);
                        int rc = c.send(new Message(TYPE_SEQ, new BufferList().append(front), new BufferList(), new BufferList()));
                        if (rc != 0) {
                            throw new AssertionError("send " + i + " returned " + rc);
                        }
                        sent.incrementAndGet();
                        if (i % 50 == 0) {
                            Thread.sleep(1);
                        }
                    }
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            }, "hotswap-sender");
            sender.start();

            Bundle messengerBundle = bundle("io.ferry.messenger");
            Bundle core = bundle("io.ferry.core");

            waitUntil("some messages through before the first restart", () -> received.distinct() > 1_000);
            messengerBundle.stop();
            waitUntil("the messenger service gone", () -> messengers.getService() == null);
            int duringStop = sent.get();
            Thread.sleep(300);
            messengerBundle.start();
            assertNotNull("the messenger came back", messengers.waitForService(WAIT_MILLIS));
            waitUntil("messages flowing again after the messenger restart (" + received.distinct() + " so far)",
                    () -> received.distinct() > duringStop);

            int beforeCore = received.distinct();
            core.stop();
            waitUntil("the messenger service gone with the stack", () -> messengers.getService() == null);
            Thread.sleep(300);
            core.start();
            assertNotNull("the messenger came back on the new stack", messengers.waitForService(WAIT_MILLIS));
            waitUntil("messages flowing again after the core restart", () -> received.distinct() > beforeCore + 100);

            sender.join(TimeUnit.MILLISECONDS.toMillis(2 * WAIT_MILLIS));
            assertTrue("the sender finished", !sender.isAlive());
            if (senderFailure.get() != null) {
                throw new AssertionError("sender failed", senderFailure.get());
            }
            waitUntil("all " + MESSAGES + " numbers received; missing " + received.firstMissing(MESSAGES) + ", have "
                    + received.distinct(), () -> received.distinct() == MESSAGES);
            waitUntil("the peer's last messages acknowledged", () -> c.unackedMessages() == 0 && c.queuedMessages() == 0);
            assertEquals("nothing outside 0..N-1", MESSAGES, received.distinct());
            System.out.println("hot swap: " + MESSAGES + " numbers received, " + received.duplicates()
                    + " duplicates (resent after the restarts), peer session " + c.state() + " connect_seq " + c.connectSeq());
        } finally {
            dispatcher.unregister();
            messengers.close();
            config.delete();
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT_MILLIS + " ms for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** The numbers seen; called on connection threads. */
    static final class Received implements Dispatcher {
        private final BitSet seen = new BitSet();
        private int distinct;
        private int duplicates;

        @Override
        public synchronized boolean dispatch(Connection connection, Message message) {
            byte[] b = message.front().toByteArray();
            message.release();
            int n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (seen.get(n)) {
                duplicates++;
            } else {
                seen.set(n);
                distinct++;
            }
            return true;
        }

        synchronized int distinct() {
            return distinct;
        }

        synchronized int duplicates() {
            return duplicates;
        }

        synchronized int firstMissing(int n) {
            int m = seen.nextClearBit(0);
            return m < n ? m : -1;
        }
    }
}
