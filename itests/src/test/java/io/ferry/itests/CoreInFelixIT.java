package io.ferry.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;
import javax.management.MBeanServer;
import javax.management.ObjectName;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The api and core bundles in a plain Felix (the native container, bundles straight from this
 * reactor): the services appear, the posix stack echoes, and the core bundle can be stopped and
 * started again without leaking worker threads or leaving a connection hanging.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class CoreInFelixIT {
    private static final String CORE = "io.ferry.core";
    private static final String WORKER_THREAD_PREFIX = "ferry-posix-";
    private static final long WAIT_MILLIS = 10_000;

    @Inject
    BundleContext context;

    private ServiceTracker<NetworkStack, NetworkStack> stacks;
    private ServiceTracker<EventDriverFactory, EventDriverFactory> drivers;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.felixWithCore(CoreInFelixIT.class));
    }

    @Before
    public void trackServices() throws Exception {
        Filter posix = context.createFilter("(&(objectClass=" + NetworkStack.class.getName() + ")("
                + NetworkStack.TYPE_PROPERTY + "=posix))");
        stacks = new ServiceTracker<>(context, posix, null);
        stacks.open();
        drivers = new ServiceTracker<>(context, EventDriverFactory.class, null);
        drivers.open();
    }

    @After
    public void closeTrackers() {
        stacks.close();
        drivers.close();
    }

    @Test
    public void shouldRegisterEventDriversAndThePosixStack() throws Exception {
        NetworkStack stack = stacks.waitForService(WAIT_MILLIS);
        assertNotNull("no NetworkStack with ferry.stack=posix within " + WAIT_MILLIS + " ms", stack);
        assertNotNull("no EventDriverFactory", drivers.waitForService(WAIT_MILLIS));
        List<String> names = Arrays.stream(drivers.getServiceReferences())
                .map(r -> String.valueOf(r.getProperty(EventDriverFactory.DRIVER_PROPERTY)))
                .sorted().collect(Collectors.toList());
        assertTrue("drivers " + names, names.contains("nio"));
        assertEquals("posix", stack.type());
        assertTrue("the stack's driver " + stack.driverName() + " is one of " + names, names.contains(stack.driverName()));
        assertTrue("workers", stack.workers().size() >= 1);
        assertSystemCallsThroughJni(stack);
    }

    @Test
    public void shouldEchoOverThePosixStack() throws Exception {
        NetworkStack stack = stacks.waitForService(WAIT_MILLIS);
        assertNotNull(stack);
        assertEchoes(stack, "hello over " + stack.driverName());
    }

    @Test
    public void shouldSurviveACoreRestartWithoutLeakingThreadsOrHangingConnections() throws Exception {
        NetworkStack before = stacks.waitForService(WAIT_MILLIS);
        assertNotNull(before);
        int workerThreadsBefore = workerThreads().size();
        assertEquals("one thread per worker: " + workerThreads(), before.workers().size(), workerThreadsBefore);

        // A connection that is open when the core bundle stops.
        ServerSocket server = Echo.startServer(before);
        Echo.Client open = Echo.Client.connect(before, server.localAddress(),
                "open across the restart".getBytes(StandardCharsets.UTF_8));
        Echo.await(open.echo);

        Bundle core = bundle(CORE);
        core.stop();

        // Its handler fired and the read returned an errno, within a bounded wait.
        int result = Echo.await(open.afterEcho);
        assertTrue("a read after the stack went away returned " + result + ", expected a negative errno",
                result < 0);
        System.out.println("open connection after core stop: " + Errno.name(result));
        waitUntil("the posix stack service to go away", () -> stacks.getService() == null);
        waitUntil("the worker threads to end, still running: " + workerThreads(), () -> workerThreads().isEmpty());

        core.start();
        NetworkStack after = stacks.waitForService(WAIT_MILLIS);
        assertNotNull("the posix stack came back", after);
        assertNotSame(before, after);
        assertNotNull("an event driver came back", drivers.waitForService(WAIT_MILLIS));
        waitUntil("as many worker threads as before (" + workerThreadsBefore + "), now " + workerThreads(),
                () -> workerThreads().size() == workerThreadsBefore);

        assertEchoes(after, "hello after the restart");
        assertSystemCallsThroughJni(after);
    }

    /**
     * On epoll, the data path's system calls go through the JNI library the core bundle carries,
     * loaded from inside the framework (not JNA's fallback); with NIO the JDK makes them.
     */
    private void assertSystemCallsThroughJni(NetworkStack stack) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.ferry:type=NetworkStack,name=posix");
        waitUntil("the posix stack's MBean", () -> server.isRegistered(name));
        String calls = String.valueOf(server.getAttribute(name, "NativeCalls"));
        assertEquals("system calls of the posix stack on " + stack.driverName(),
                "epoll".equals(stack.driverName()) ? "jni" : "jdk", calls);
    }

    private static void assertEchoes(NetworkStack stack, String text) throws Exception {
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        ServerSocket server = Echo.startServer(stack);
        try {
            Echo.Client client = Echo.Client.connect(stack, server.localAddress(), message);
            assertArrayEquals(message, Echo.await(client.echo));
            client.socket.close();
        } finally {
            server.close();
        }
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }

    private static List<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(WORKER_THREAD_PREFIX))
                .map(Thread::getName).sorted().collect(Collectors.toList());
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
