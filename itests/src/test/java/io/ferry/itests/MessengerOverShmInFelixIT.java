package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.NetworkStack;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.options.AbstractProvisionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The messenger runs over the shared-memory stack by configuration alone: two factory
 * configurations of PID {@code io.ferry.messenger} with {@code stack.target=(ferry.stack=shm)} make
 * the messenger component bind to the {@code shm} NetworkStack (service property
 * {@code ferry.stack=shm}); the two messengers exchange numbered messages both ways through
 * whiteboard dispatchers, in order and exactly once. Their IP:port addresses are names inside the
 * shm stack, not kernel sockets. Stopping the shm bundle takes both messengers away; starting it
 * again brings them back, and they talk again.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class MessengerOverShmInFelixIT {
    private static final String SHM = "io.ferry.netstack.shm";
    private static final String SHM_STACK = "(ferry.stack=shm)";
    private static final long WAIT_MILLIS = 15_000;
    private static final int TYPE = 0x7F30;
    private static final int MESSAGES = 2_000;

    @Inject
    BundleContext context;

    private File socket;
    private final List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Configuration
    public Option[] config() {
        Option shm = FerryOptions.ferryBundle("netstack.shm");
        // Started by the test, once its configuration (a socket path of its own) is in place.
        ((AbstractProvisionOption<?>) shm).start(false);
        return options(FerryOptions.felixWithCore(MessengerOverShmInFelixIT.class), FerryOptions.ferryBundle("unix"), shm,
                FerryOptions.ferryBundle("messenger"));
    }

    @Before
    public void startTheShmStack() throws Exception {
        // A short path of its own (AF_UNIX paths are limited to 107 bytes), apart from a node's default.
        socket = new File(System.getProperty("java.io.tmpdir"), "ferry-itest-msgr-" + ProcessHandle.current().pid() + "/shm.sock");
        org.osgi.service.cm.Configuration config = configAdmin().getConfiguration(SHM, null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("socketPath", socket.getAbsolutePath());
        config.update(props);
        configurations.add(config);
        shmBundle().start();
    }

    @After
    public void removeEverything() throws Exception {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
        for (org.osgi.service.cm.Configuration c : configurations) {
            c.delete();
        }
        shmBundle().stop();
        socket.getParentFile().delete();
    }

    @Test
    public void twoMessengersConfiguredForTheShmStackShouldExchangeMessagesOverIt() throws Exception {
        waitForService(NetworkStack.class, SHM_STACK);
        configureMessenger("shm-a", 1);
        configureMessenger("shm-b", 2);
        Recorder atA = dispatcherFor("shm-a");
        Recorder atB = dispatcherFor("shm-b");

        ServiceReference<Messenger> aRef = waitForMessenger("shm-a");
        ServiceReference<Messenger> bRef = waitForMessenger("shm-b");
        assertEquals("the component bound the shm stack", "shm", aRef.getProperty("ferry.stack"));
        assertEquals("shm", bRef.getProperty("ferry.stack"));
        Messenger a = context.getService(aRef);
        Messenger b = context.getService(bRef);
        assertEquals(EntityName.osd(1), a.myName());
        InetSocketAddress bIp = b.myAddress().address();
        assertEquals("127.0.0.1", bIp.getAddress().getHostAddress());
        assertNoKernelListener(bIp, context.getServiceReferences(Messenger.class.getName(), "(ferry.stack=posix)"));

        exchange(a, b, atA, atB);

        // Without the stack the messengers go away (DS deactivates them); with it they come back.
        shmBundle().stop();
        waitUntil("the shm messengers to go away", () -> messengerRef("shm-a") == null && messengerRef("shm-b") == null);
        atA.tids.clear();
        atB.tids.clear();
        shmBundle().start();
        Messenger a2 = context.getService(waitForMessenger("shm-a"));
        Messenger b2 = context.getService(waitForMessenger("shm-b"));
        exchange(a2, b2, atA, atB);
    }

    /** {@link #MESSAGES} a -> b, then 100 b -> a, lossless_peer; every tid in order and once. */
    private void exchange(Messenger a, Messenger b, Recorder atA, Recorder atB) throws Exception {
        Connection ab = a.connect(b.myAddress(), EntityName.TYPE_OSD, Policy.losslessPeer());
        for (int i = 0; i < MESSAGES; i++) {
            assertEquals(0, ab.send(message(i)));
        }
        waitUntil("b to receive " + MESSAGES + " messages over shm (has " + atB.tids.size() + ")",
                () -> atB.tids.size() >= MESSAGES);
        assertEquals(ints(MESSAGES), atB.tids);
        Connection ba = b.connect(a.myAddress(), EntityName.TYPE_OSD, Policy.losslessPeer());
        for (int i = 0; i < 100; i++) {
            assertEquals(0, ba.send(message(i)));
        }
        waitUntil("a to receive 100 messages over shm (has " + atA.tids.size() + ")", () -> atA.tids.size() >= 100);
        assertEquals(ints(100), atA.tids);
        waitUntil("all acknowledged", () -> ab.unackedMessages() == 0 && ba.unackedMessages() == 0);
    }

    /**
     * Nothing listens in the kernel at the shm messenger's IP:port: its address is a name of the shm
     * stack. (Skipped if the posix messenger happens to hold that very port.)
     */
    private static void assertNoKernelListener(InetSocketAddress address, ServiceReference<?>[] posixMessengers) {
        if (posixMessengers != null) {
            for (ServiceReference<?> r : posixMessengers) {
                if (String.valueOf(r.getProperty("ferry.messenger.address")).contains(":" + address.getPort() + "/")) {
                    return;
                }
            }
        }
        try (Socket s = new Socket()) {
            s.connect(address, 2_000);
            throw new AssertionError("a kernel socket listens at " + address + "; the messenger should be on shm");
        } catch (IOException expected) {
            // connection refused: the address exists only inside the shm stack
        }
    }

    private void configureMessenger(String name, int osd) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin().getFactoryConfiguration(MessengerInFelixIT.PID, name, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", name);
        props.put("entity.type", "osd");
        props.put("entity.num", (long) osd);
        props.put("bind", "127.0.0.1:0");
        props.put("stack.target", SHM_STACK);
        props.put("policy.default", "lossless_peer");
        c.update(props);
        configurations.add(c);
    }

    private Recorder dispatcherFor(String messengerName) {
        Recorder r = new Recorder();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Dispatcher.TYPES_PROPERTY, Integer.toString(TYPE));
        props.put(Messenger.NAME_PROPERTY, messengerName);
        registrations.add(context.registerService(Dispatcher.class, r, props));
        return r;
    }

    private ServiceReference<Messenger> messengerRef(String name) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Messenger.class.getName(),
                    "(" + Messenger.NAME_PROPERTY + "=" + name + ")");
            @SuppressWarnings("unchecked")
            ServiceReference<Messenger> r = refs == null ? null : (ServiceReference<Messenger>) refs[0];
            return r;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ServiceReference<Messenger> waitForMessenger(String name) throws InterruptedException {
        waitUntil("a Messenger service named " + name, () -> messengerRef(name) != null);
        ServiceReference<Messenger> r = messengerRef(name);
        assertNotNull(r);
        return r;
    }

    private <T> void waitForService(Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> t = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
        t.open();
        try {
            assertNotNull("no " + type.getSimpleName() + " " + filter + " within " + WAIT_MILLIS + " ms",
                    t.waitForService(WAIT_MILLIS));
        } finally {
            t.close();
        }
    }

    private ConfigurationAdmin configAdmin() {
        return context.getService(context.getServiceReference(ConfigurationAdmin.class));
    }

    private Bundle shmBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (SHM.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError(SHM + " is not installed");
    }

    private static Message message(int i) {
        return new Message(TYPE, BufferList.ofUtf8("m" + i), new BufferList(), new BufferList()).tid(i);
    }

    private static List<Long> ints(int n) {
        List<Long> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add((long) i);
        }
        return l;
    }

    /** Records tids; called on connection threads. */
    static final class Recorder implements Dispatcher {
        final List<Long> tids = Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean dispatch(Connection connection, Message message) {
            tids.add(message.tid());
            message.release();
            return true;
        }
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT_MILLIS + " ms for " + what);
            }
            Thread.sleep(20);
        }
    }
}
