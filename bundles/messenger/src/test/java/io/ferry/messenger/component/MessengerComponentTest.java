package io.ferry.messenger.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import io.ferry.api.net.NetworkStack;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The component outside a framework: a recording BundleContext (a proxy) and the real posix stack.
 * Covers activation, refusal of bad configuration (the messenger keeps running untouched), restart
 * on a good one, the whiteboard by type and by messenger name, and shutdown on deactivation.
 */
class MessengerComponentTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One registerService call and whether it was undone. */
    static final class Registration {
        final Object service;
        final Map<String, Object> properties = new HashMap<>();
        volatile boolean unregistered;

        Registration(Object service, Dictionary<String, ?> props) {
            this.service = service;
            for (java.util.Enumeration<String> e = props.keys(); e.hasMoreElements();) {
                String k = e.nextElement();
                properties.put(k, props.get(k));
            }
        }
    }

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private PosixStack stack;
    private MessengerComponent component;
    private final List<AsyncMessenger> peers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        stack = new PosixStack("component-test", 1);
        component = new MessengerComponent();
        Field f = MessengerComponent.class.getDeclaredField("stack");
        f.setAccessible(true);
        f.set(component, stack.stack());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            component.deactivate();
            for (AsyncMessenger p : peers) {
                p.shutdown();
                assertTrue(p.awaitClosed(10, TimeUnit.SECONDS));
            }
            EventLoops.awaitCondition(() -> stack.openSockets() == 0, WAIT, "every socket closed");
        } finally {
            stack.close();
        }
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        @SuppressWarnings("unchecked")
                        Registration r = new Registration(args[1], (Dictionary<String, ?>) args[2]);
                        registrations.add(r);
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        r.unregistered = true;
                                    } else if (m.getName().equals("setProperties")) {
                                        @SuppressWarnings("unchecked")
                                        Dictionary<String, ?> d = (Dictionary<String, ?>) a[0];
                                        r.properties.clear();
                                        r.properties.putAll(new Registration(null, d).properties);
                                    }
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private Registration live() {
        List<Registration> l = registrations.stream().filter(r -> !r.unregistered).toList();
        assertEquals(1, l.size(), "one live Messenger registration");
        return l.get(0);
    }

    private AsyncMessenger peer() {
        AsyncMessenger p = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("peer", EntityName.osd(9)));
        peers.add(p);
        return p;
    }

    @Test
    void shouldRegisterTheMessengerWithItsPropertiesAndShutItDownOnDeactivation() throws Exception {
        component.activate(context(), Map.of("name", "alpha", "entity.num", 4L));
        Registration r = live();
        AsyncMessenger m = (AsyncMessenger) r.service;
        assertEquals("alpha", r.properties.get(Messenger.NAME_PROPERTY));
        assertEquals("osd.4", r.properties.get(MessengerComponent.ENTITY_PROPERTY));
        assertEquals("posix", r.properties.get(NetworkStack.TYPE_PROPERTY));
        assertEquals(m.myAddress().toString(), r.properties.get(MessengerComponent.ADDRESS_PROPERTY));
        assertTrue(m.myAddress().address().getPort() > 0);
        Connection c = peer().connect(m.myAddress(), EntityName.TYPE_OSD, Policy.losslessPeer());
        EventLoops.awaitCondition(() -> c.state() == Connection.State.OPEN, WAIT, "a peer connects");
        javax.management.ObjectName jmxName = new javax.management.ObjectName(MessengerMBeanRegistration.objectName("alpha"));
        javax.management.MBeanServer mbs = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        assertEquals(m.myAddress().toString(), mbs.getAttribute(jmxName, "Address"));
        EventLoops.awaitCondition(() -> {
            try {
                return ((Integer) mbs.getAttribute(jmxName, "ConnectionCount")) == 1;
            } catch (javax.management.JMException e) {
                throw new AssertionError(e);
            }
        }, WAIT, "JMX shows the accepted connection");
        component.deactivate();
        assertTrue(!mbs.isRegistered(jmxName), "the MBean leaves with the messenger");
        assertTrue(r.unregistered);
        assertNull(component.messenger());
        assertTrue(m.connections().isEmpty(), "the messenger's connections closed on deactivation");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> m.connect(m.myAddress(), EntityName.TYPE_OSD), "a shut-down messenger refuses new connections");
    }

    @Test
    void shouldKeepTheRunningMessengerWhenAConfigurationIsRefusedAndRestartOnAGoodOne() throws Exception {
        component.activate(context(), Map.of("name", "alpha"));
        AsyncMessenger first = component.messenger();
        component.modified(Map.of("name", "alpha", "throttle.messages", "0"));
        assertSame(first, component.messenger(), "a refused configuration leaves the messenger alone");
        assertEquals(1, registrations.size());
        assertTrue(String.valueOf(live().properties.get(MessengerComponent.REFUSED_PROPERTY)).startsWith("throttle.messages=0"),
                "the service shows why: " + live().properties);
        component.modified(Map.of("name", "alpha"));
        assertSame(first, component.messenger(), "an unchanged configuration restarts nothing");
        assertNull(live().properties.get(MessengerComponent.REFUSED_PROPERTY), "a good configuration clears the refusal");
        component.modified(Map.of("name", "beta", "policy.default", "lossless_client", "policies", "client=stateless_server"));
        AsyncMessenger second = component.messenger();
        assertNotSame(first, second);
        assertEquals("beta", live().properties.get(Messenger.NAME_PROPERTY));
        assertEquals(Policy.losslessClient(), second.policy(EntityName.TYPE_OSD));
        assertEquals(Policy.statelessServer(), second.policy(EntityName.TYPE_CLIENT));
        assertTrue(registrations.get(0).unregistered, "the old service is gone");
    }

    @Test
    void shouldStartOnTheDefaultsWhenTheFirstConfigurationIsBad() throws Exception {
        component.activate(context(), Map.of("bind", "nowhere"));
        assertEquals("ferry", live().properties.get(Messenger.NAME_PROPERTY));
        assertEquals("127.0.0.1", component.messenger().myAddress().address().getAddress().getHostAddress());
    }

    @Test
    void shouldOfferWhiteboardDispatchersTheirTypesOnTheirMessenger() throws Exception {
        component.activate(context(), Map.of("name", "alpha"));
        List<Long> typed = new CopyOnWriteArrayList<>();
        List<Long> other = new CopyOnWriteArrayList<>();
        List<Long> elsewhere = new CopyOnWriteArrayList<>();
        component.addDispatcher(recorder(typed), Map.of(Dispatcher.TYPES_PROPERTY, "0x7f40", "service.id", 1L));
        component.addDispatcher(recorder(other), Map.of(Dispatcher.TYPES_PROPERTY, new String[] {"0x7f41"}, "service.id", 2L));
        component.addDispatcher(recorder(elsewhere), Map.of(Dispatcher.TYPES_PROPERTY, "*", Messenger.NAME_PROPERTY, "gamma",
                "service.id", 3L));
        component.addDispatcher(recorder(elsewhere), Map.of(Dispatcher.TYPES_PROPERTY, "pings", "service.id", 4L));
        Connection c = peer().connect(component.messenger().myAddress(), EntityName.TYPE_OSD, Policy.losslessPeer());
        for (int i = 0; i < 20; i++) {
            c.send(new Message(i % 2 == 0 ? 0x7F40 : 0x7F41, BufferList.ofUtf8("x"), new BufferList(), new BufferList()).tid(i));
        }
        EventLoops.awaitCondition(() -> typed.size() == 10 && other.size() == 10, WAIT, "both dispatchers got their types");
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L), typed);
        assertTrue(elsewhere.isEmpty(), "a dispatcher for another messenger, or with a bad property, gets nothing");

        // Whiteboard dispatchers survive a restart of the messenger; a removed one is gone.
        component.modified(Map.of("name", "alpha", "throttle.messages", "100"));
        component.removeDispatcher(registeredFor(other));
        Connection c2 = peer().connect(component.messenger().myAddress(), EntityName.TYPE_OSD, Policy.losslessPeer());
        c2.send(new Message(0x7F40, BufferList.ofUtf8("y"), new BufferList(), new BufferList()).tid(100));
        c2.send(new Message(0x7F41, BufferList.ofUtf8("y"), new BufferList(), new BufferList()).tid(101));
        EventLoops.awaitCondition(() -> typed.size() == 11 && component.messenger().counters().get("unhandled") == 1, WAIT,
                "after the restart: 0x7f40 taken, 0x7f41 left unhandled since its dispatcher was removed");
        assertEquals(100L, typed.get(10));
        assertEquals(10, other.size());
    }

    private final Map<List<Long>, Dispatcher> dispatchers = new java.util.IdentityHashMap<>();

    private Dispatcher recorder(List<Long> into) {
        Dispatcher d = (conn, m) -> {
            into.add(m.tid());
            m.release();
            return true;
        };
        dispatchers.putIfAbsent(into, d);
        return d;
    }

    private Dispatcher registeredFor(List<Long> into) {
        return dispatchers.get(into);
    }
}
