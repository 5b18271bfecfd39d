package io.ferry.core.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.nio.NioDriverFactory;
import io.ferry.testkit.AsyncEchoServer;
import io.ferry.testkit.AsyncServer;
import io.ferry.testkit.AsyncStream;
import io.ferry.testkit.EchoClient;
import io.ferry.testkit.EventLoops;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Configuration handling of {@link PosixStackComponent}: bad values are refused and the stack
 * keeps running as it was; a valid change restarts it and fails the old stack's sockets with
 * {@code -ESHUTDOWN}, never leaving them hanging.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // safety net; every wait has its own bound
class PosixStackComponentConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private PosixStackComponent component;

    @BeforeEach
    void createComponent() {
        component = new PosixStackComponent();
        component.addDriver(new NioDriverFactory());
        component.addDriver(new EpollDriverFactory());
    }

    @AfterEach
    void deactivate() throws Exception {
        try {
            while (!cleanup.isEmpty()) {
                cleanup.pop().close();
            }
        } finally {
            component.deactivate();
        }
    }

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String autoDriver() {
        return new EpollDriverFactory().isAvailable() ? "epoll" : "nio";
    }

    // ---- parse ----

    @Test
    void parseRefusesBadValuesWithoutThrowing() {
        assertNull(component.parse(config("workers", 0)), "workers=0");
        assertNull(component.parse(config("workers", -3)), "workers=-3");
        assertNull(component.parse(config("workers", PosixStackConfig.WORKERS_MAX + 1)), "workers above the maximum");
        assertNull(component.parse(config("workers", "abc")), "workers=abc");
        assertNull(component.parse(config("workers", "")), "workers empty");
        assertNull(component.parse(config("workers", "2.5")), "workers=2.5");
        assertNull(component.parse(config("driver", "foo")), "driver=foo");
        assertNull(component.parse(config("driver", "")), "driver empty");
    }

    @Test
    void parseRefusesNumbersItWouldHaveToTruncate() {
        assertNull(component.parse(config("workers", 2.7d)), "workers=2.7 must not become 2");
        assertNull(component.parse(config("workers", 4294967297L)), "workers=2^32+1 must not wrap to 1");
        assertNull(component.parse(config("workers", "4294967297")), "workers='2^32+1' must not wrap to 1");
        assertNull(component.parse(config("workers", "99999999999999999999999")), "beyond a long");
    }

    @Test
    void parseAcceptsValidValuesAsNumbersOrTextAndDefaultsWhatIsMissing() {
        assertEquals(new PosixStackComponent.Settings(PosixStackConfig.WORKERS_DEFAULT, PosixStackConfig.DRIVER_DEFAULT),
                component.parse(Map.of()));
        assertEquals(new PosixStackComponent.Settings(3, "auto"), component.parse(config("workers", " 3 ")));
        assertEquals(new PosixStackComponent.Settings(4, "auto"), component.parse(config("workers", 4L)));
        assertEquals(new PosixStackComponent.Settings(1, "nio"), component.parse(config("workers", 1, "driver", " nio ")));
        assertEquals(new PosixStackComponent.Settings(PosixStackConfig.WORKERS_MAX, "auto"),
                component.parse(config("workers", PosixStackConfig.WORKERS_MAX)));
        if (new EpollDriverFactory().isAvailable()) {
            assertEquals(new PosixStackComponent.Settings(2, "epoll"), component.parse(config("driver", "epoll")));
        }
    }

    @Test
    void pollBeforeSleepIsCheckedAndChangedWithoutRestartingTheStack() throws Exception {
        assertEquals(new PosixStackComponent.Settings(PosixStackConfig.WORKERS_DEFAULT, PosixStackConfig.DRIVER_DEFAULT, 50),
                component.parse(config("pollMicros", " 50 ")));
        assertNull(component.parse(config("pollMicros", -1)), "negative");
        assertNull(component.parse(config("pollMicros", PosixStackConfig.POLL_MICROS_MAX + 1)), "beyond the limit");
        assertNull(component.parse(config("pollMicros", "soon")), "not a number");
        assertNull(component.parse(config("pollMicros", 2.5d)), "not a whole number");

        component.activate(config("workers", 2, "driver", "nio", "pollMicros", 20));
        PosixNetworkStack stack = component.current();
        assertEquals(TimeUnit.MICROSECONDS.toNanos(20), stack.pollBeforeSleepNanos());
        AsyncServer server = closeLater(AsyncEchoServer.start(component, LOOPBACK, SocketOptions.DEFAULT, WAIT));
        ConnectedSocket open = closeLater(component.connect(server.localAddress(), SocketOptions.DEFAULT,
                component.leastLoadedWorker()));
        component.modified(config("workers", 2, "driver", "nio", "pollMicros", 100));
        assertSame(stack, component.current(), "a new poll limit keeps the stack and its connections");
        assertTrue(stack.eventLoopWorkers().stream()
                .allMatch(w -> w.defaultCenter().pollBeforeSleepNanos() == TimeUnit.MICROSECONDS.toNanos(100)));
        assertTrue(open.isOpen(), "the connection made before the change is still open");
        echoOnce();
    }

    @Test
    void parseRefusesADriverThatIsRegisteredButUnavailable() {
        component.addDriver(new UnavailableDriverFactory());
        assertNull(component.parse(config("driver", UnavailableDriverFactory.NAME)));
    }

    // ---- activate ----

    @Test
    void activateStartsTheStackAsConfigured() throws Exception {
        component.activate(config("workers", 3, "driver", "nio"));
        PosixNetworkStack stack = component.current();
        assertEquals(3, stack.workers().size());
        assertEquals("nio", component.driverName());
        assertTrue(stack.workers().stream().allMatch(w -> w.isRunning()));
        echoOnce();
    }

    @Test
    void activateWithABadValueStartsOnTheDefaults() throws Exception {
        component.activate(config("workers", "abc"));
        assertEquals(PosixStackConfig.WORKERS_DEFAULT, component.current().workers().size());
        assertEquals(autoDriver(), component.driverName());
        echoOnce();
    }

    // ---- modified ----

    @Test
    void aRefusedChangeKeepsTheStackRunningAsItWasWithItsConnections() throws Exception {
        component.activate(config("workers", 2, "driver", "nio"));
        PosixNetworkStack before = component.current();
        AsyncServer server = closeLater(AsyncEchoServer.start(component, LOOPBACK, SocketOptions.DEFAULT, WAIT));
        EchoClient open = closeLater(EchoClient.start(component, server.localAddress(), SocketOptions.DEFAULT,
                component.leastLoadedWorker(), List.of(new byte[] {1, 2, 3})));
        EventLoops.await(open.done(), WAIT, "an echo before the changes");

        for (Map<String, Object> bad : List.of(config("workers", 0), config("workers", "abc"), config("driver", "foo"),
                config("workers", 3, "driver", "foo"))) {
            component.modified(bad);
            assertSame(before, component.current(), "refused " + bad + " must not restart the stack");
            assertEquals(2, component.workers().size(), "after " + bad);
            assertEquals("nio", component.driverName(), "after " + bad);
            assertTrue(before.workers().stream().allMatch(w -> w.isRunning()), "after " + bad);
        }
        // The connection made before is untouched, and new ones work.
        assertEquals(1, server.connectionCount());
        AsyncStream openStream = EventLoops.await(open.stream(), WAIT, "the first client's stream");
        assertFalse(openStream.isClosed());
        assertEquals(0, openStream.failure());
        EchoClient later = closeLater(EchoClient.start(component, server.localAddress(), SocketOptions.DEFAULT,
                component.leastLoadedWorker(), List.of(new byte[] {4, 5})));
        EventLoops.await(later.done(), WAIT, "an echo after the refused changes");
    }

    @Test
    void theSameConfigurationAgainDoesNotRestart() throws Exception {
        component.activate(config("workers", 2, "driver", "nio"));
        PosixNetworkStack before = component.current();
        component.modified(config("workers", "2", "driver", "nio"));
        assertSame(before, component.current());
    }

    @Test
    void aValidChangeRestartsTheStackAndFailsTheOldSocketsWithShutdown() throws Exception {
        component.activate(config("workers", 2, "driver", "nio"));
        PosixNetworkStack old = component.current();
        AsyncServer server = closeLater(AsyncEchoServer.start(component, LOOPBACK, SocketOptions.DEFAULT, WAIT));
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        CompletableFuture<int[]> failed = new CompletableFuture<>();
        ConnectedSocket socket = component.connect(server.localAddress(), SocketOptions.DEFAULT,
                component.leastLoadedWorker());
        AsyncStream client = EventLoops.await(AsyncStream.attach(socket, new AsyncStream.Listener() {
            @Override
            public void onConnected(AsyncStream s) {
                s.send(new byte[] {9});
            }

            @Override
            public void onData(AsyncStream s, ByteBuffer data) {
                echoed.complete(null);
            }

            @Override
            public void onFailed(AsyncStream s, int errno) {
                failed.complete(new int[] {errno, s.socket().read(ByteBuffer.allocate(8))});
            }
        }), WAIT, "attaching the client");
        closeLater(client::close);
        EventLoops.await(echoed, WAIT, "an echo before the change");

        component.modified(config("workers", 3, "driver", "nio"));

        PosixNetworkStack next = component.current();
        assertNotSame(old, next, "a valid change restarts the stack");
        assertEquals(3, component.workers().size());
        int[] result = EventLoops.await(failed, WAIT, "the old stack's client learning of the restart");
        assertEquals(-Errno.ESHUTDOWN, result[0], Errno.name(result[0]));
        assertEquals(-Errno.ESHUTDOWN, result[1], "read after the restart: " + Errno.name(result[1]));
        EventLoops.awaitCondition(() -> server.failures().contains(-Errno.ESHUTDOWN), WAIT,
                "the old stack's server side failing with ESHUTDOWN");
        for (EventLoopWorker w : old.eventLoopWorkers()) {
            assertFalse(w.isRunning(), w + " of the old stack still runs");
            assertFalse(w.thread().isAlive(), w + "'s thread still lives");
        }
        assertEquals(0, old.openSockets(), "sockets of the old stack left open");
        assertTrue(next.workers().stream().allMatch(w -> w.isRunning()));
        echoOnce();
    }

    @Test
    void aChangeOfDriverRestartsOnTheNewDriver() throws Exception {
        component.activate(config("workers", 2, "driver", "nio"));
        PosixNetworkStack old = component.current();
        component.modified(config("workers", 2, "driver", autoDriver().equals("epoll") ? "epoll" : "auto"));
        assertNotSame(old, component.current());
        assertEquals(autoDriver(), component.driverName());
        echoOnce();
    }

    @Test
    void deactivateStopsTheStackAndItsThreads() throws Exception {
        component.activate(config("workers", 2, "driver", "nio"));
        PosixNetworkStack stack = component.current();
        component.deactivate();
        for (EventLoopWorker w : stack.eventLoopWorkers()) {
            assertFalse(w.thread().isAlive(), w + "'s thread still lives after deactivate");
        }
    }

    // ---- helpers ----

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.push(resource);
        return resource;
    }

    /** One echo through the component's current stack, cleaned up at once. */
    private void echoOnce() throws Exception {
        try (AsyncServer server = AsyncEchoServer.start(component, LOOPBACK, SocketOptions.DEFAULT, WAIT);
                EchoClient client = EchoClient.start(component, server.localAddress(), SocketOptions.DEFAULT,
                        component.leastLoadedWorker(), List.of(new byte[] {7, 7, 7}))) {
            assertNotNull(EventLoops.await(client.done(), WAIT, "an echo on the current stack"));
        }
    }

    /** A driver kind that is registered but cannot run here. */
    private static final class UnavailableDriverFactory implements EventDriverFactory {
        static final String NAME = "unavailable-test-driver";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public boolean pollsFileDescriptors() {
            return false;
        }

        @Override
        public EventDriver create() throws IOException {
            throw new IOException("not available");
        }
    }
}
