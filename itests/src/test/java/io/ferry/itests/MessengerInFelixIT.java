package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.demo.DemoStep;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
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
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The messenger bundle in a plain Felix with the api and core bundles: it resolves, its component
 * registers a {@link Messenger} on the posix stack, whiteboard {@link Dispatcher} services receive
 * the message types their property lists, a bad configuration is refused while the messenger keeps
 * running, and a good one restarts it. The peer is a messenger outside the framework ({@link MessengerPeer}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class MessengerInFelixIT {
    static final String PID = "io.ferry.messenger";
    private static final long WAIT_MILLIS = 15_000;
    private static final int TYPE_A = 0x7F20;
    private static final int TYPE_B = 0x7F21;

    @Inject
    BundleContext context;

    private ServiceTracker<Messenger, Messenger> messengers;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return options(FerryOptions.felixWithCore(MessengerInFelixIT.class), FerryOptions.ferryBundle("messenger"));
    }

    @Before
    public void track() {
        messengers = new ServiceTracker<>(context, Messenger.class, null);
        messengers.open();
    }

    @After
    public void untrack() {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
        messengers.close();
    }

    @Test
    public void shouldRegisterTheMessengerOnThePosixStackWithItsStepsAndCommands() throws Exception {
        Messenger m = messengers.waitForService(WAIT_MILLIS);
        assertNotNull("no Messenger service within " + WAIT_MILLIS + " ms", m);
        ServiceReference<Messenger> ref = messengers.getServiceReference();
        assertEquals("ferry", ref.getProperty(Messenger.NAME_PROPERTY));
        assertEquals("posix", ref.getProperty("ferry.stack"));
        assertEquals("osd.0", ref.getProperty("ferry.messenger.entity"));
        String address = String.valueOf(ref.getProperty("ferry.messenger.address"));
        assertTrue(address, address.startsWith("v1:127.0.0.1:"));
        assertEquals(address, m.myAddress().toString());
        assertEquals(EntityName.osd(0), m.myName());

        List<String> steps = new ArrayList<>();
        for (ServiceReference<DemoStep> r : context.getServiceReferences(DemoStep.class, null)) {
            steps.add(context.getService(r).name());
        }
        assertTrue(steps.toString(), steps.contains("messenger: two messengers over posix"));
        assertTrue(steps.toString(), steps.contains("messenger: ceph-mon ping"));
        ServiceReference<?>[] commands = context.getServiceReferences((String) null, "(osgi.command.scope=msgr)");
        assertNotNull("msgr: commands registered", commands);
        Object functions = commands[0].getProperty("osgi.command.function");
        assertTrue(String.valueOf(functions), Arrays.asList((String[]) functions).containsAll(List.of("status", "ping", "bench")));
    }

    @Test
    public void shouldHandMessagesToWhiteboardDispatchersByTheirTypes() throws Exception {
        Messenger m = messengers.waitForService(WAIT_MILLIS);
        assertNotNull(m);
        Recorder a = register(TYPE_A, "0x7f20");
        Recorder b = register(TYPE_B, Integer.toString(TYPE_B));
        try (MessengerPeer peer = MessengerPeer.start("whiteboard-peer", 7, 1_000)) {
            Connection c = peer.messenger().connect(m.myAddress(), EntityName.TYPE_OSD, Policy.losslessPeer());
            for (int i = 0; i < 100; i++) {
                assertEquals(0, c.send(message(TYPE_A, i)));
                if (i % 2 == 0) {
                    assertEquals(0, c.send(message(TYPE_B, i)));
                }
            }
            waitUntil("100 messages of type A and 50 of type B, have " + a.tids.size() + " and " + b.tids.size(),
                    () -> a.tids.size() == 100 && b.tids.size() == 50);
            assertEquals(ints(0, 100, 1), a.tids);
            assertEquals(ints(0, 100, 2), b.tids);
            assertEquals("a dispatcher only sees its types", Collections.singleton(TYPE_A), a.types());
            assertEquals(Collections.singleton(TYPE_B), b.types());
            waitUntil("the peer's messages are acknowledged", () -> c.unackedMessages() == 0);
        }
    }

    @Test
    public void shouldRefuseABadConfigurationAndRestartOnAGoodOne() throws Exception {
        ConfigurationAdmin ca = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = ca.getConfiguration(PID, null);
        try {
            Messenger before = messengers.waitForService(WAIT_MILLIS);
            assertNotNull(before);
            Dictionary<String, Object> bad = new Hashtable<>();
            bad.put("throttle.messages", "0");
            config.update(bad);
            waitUntil("the refusal shown on the service", () -> messengers.getServiceReference() != null && String.valueOf(
                    messengers.getServiceReference().getProperty("ferry.messenger.config.refused")).startsWith("throttle.messages"));
            assertEquals("the running messenger kept", before, messengers.getService());
            Dictionary<String, Object> good = new Hashtable<>();
            good.put("name", "renamed");
            good.put("entity.type", "client");
            good.put("entity.num", 5L);
            config.update(good);
            try {
                waitUntil("a messenger named renamed", () -> names().equals(List.of("renamed")));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; messengers now: " + names(), e);
            }
            Messenger after = messengers.getService();
            assertEquals(EntityName.client(5), after.myName());
            assertEquals("one messenger service", 1, messengers.getServiceReferences().length);
        } finally {
            config.delete();
            waitUntil("the default messenger back", () -> messengers.getService() != null
                    && "ferry".equals(messengers.getServiceReference().getProperty(Messenger.NAME_PROPERTY)));
        }
    }

    /** @return the names of the Messenger services registered now. */
    private List<String> names() {
        ServiceReference<Messenger>[] refs = messengers.getServiceReferences();
        List<String> l = new ArrayList<>();
        if (refs != null) {
            for (ServiceReference<Messenger> r : refs) {
                l.add(String.valueOf(r.getProperty(Messenger.NAME_PROPERTY)));
            }
        }
        return l;
    }

    private Recorder register(int type, String property) {
        Recorder r = new Recorder();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Dispatcher.TYPES_PROPERTY, property);
        registrations.add(context.registerService(Dispatcher.class, r, props));
        return r;
    }

    private static Message message(int type, int i) {
        return new Message(type, BufferList.ofUtf8("m" + i), new BufferList(), new BufferList()).tid(i);
    }

    private static List<Long> ints(int from, int to, int step) {
        List<Long> l = new ArrayList<>();
        for (int i = from; i < to; i += step) {
            l.add((long) i);
        }
        return l;
    }

    /** Records tids and types; called on connection threads. */
    static final class Recorder implements Dispatcher {
        final List<Long> tids = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> typesSeen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean dispatch(Connection connection, Message message) {
            tids.add(message.tid());
            typesSeen.add(message.type());
            message.release();
            return true;
        }

        java.util.Set<Integer> types() {
            synchronized (typesSeen) {
                return typesSeen.stream().filter(Objects::nonNull).collect(Collectors.toSet());
            }
        }
    }

    static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT_MILLIS + " ms for " + what);
            }
            Thread.sleep(20);
        }
    }
}
