package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmSocket;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
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
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The shared-memory stack bundle in Felix: it resolves next to io.ferry.core (its event loops come
 * from core's WorkerPoolFactory) and io.ferry.unix, registers NetworkStack {@code ferry.stack=shm},
 * and a plain client (the exported client library) connects to a listener inside the framework
 * and gets its bytes echoed. Stopping the bundle while the client is busy fails the client's
 * socket with an error within a bounded wait (no hang); starting it again serves new clients.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class ShmInFelixIT {
    private static final String SHM = "io.ferry.netstack.shm";
    private static final long WAIT_MILLIS = 15_000;
    private static final long IO_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @Inject
    BundleContext context;

    private ServiceTracker<NetworkStack, NetworkStack> stacks;
    private File socket;

    @Configuration
    public Option[] config() {
        Option shm = FerryOptions.ferryBundle("netstack.shm");
        // Started by the test, once its configuration (a socket path of its own) is in place.
        ((AbstractProvisionOption<?>) shm).start(false);
        return options(FerryOptions.felixWithCore(ShmInFelixIT.class), FerryOptions.ferryBundle("unix"), shm);
    }

    @Before
    public void configureAndStart() throws Exception {
        stacks = new ServiceTracker<>(context, context.createFilter("(&(objectClass=" + NetworkStack.class.getName()
                + ")(" + NetworkStack.TYPE_PROPERTY + "=shm))"), null);
        stacks.open();
        // A short absolute path of its own (AF_UNIX paths are limited to 107 bytes), so that a node
        // running on this machine with the default path does not collide with the test.
        socket = new File(System.getProperty("java.io.tmpdir"), "ferry-itest-" + ProcessHandle.current().pid() + "/shm.sock");
        ConfigurationAdmin ca = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration config = ca.getConfiguration(SHM, null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("socketPath", socket.getAbsolutePath());
        config.update(props);
        bundle().start();
    }

    @After
    public void closeTrackerAndRemoveTheSocketDirectory() throws Exception {
        stacks.close();
        bundle().stop(); // the server unlinks its socket file
        socket.getParentFile().delete();
    }

    @Test
    public void shouldServeAPlainClientAndFailItCleanlyWhenTheBundleStops() throws Exception {
        Bundle shm = bundle();
        assertEquals("io.ferry.netstack.shm resolves and starts", Bundle.ACTIVE, shm.getState());
        NetworkStack stack = waitForStack();
        assertEquals("shm", stack.type());
        assertEquals("epoll", stack.driverName());

        ServerSocket listener = startEcho(stack, "itest-echo");
        assertEquals(ShmAddress.of("node/itest-echo"), listener.localAddress());
        ShmClient client = ShmClient.connect(socket.toPath(), IO_TIMEOUT);
        ShmSocket s = client.connect("node/itest-echo");
        for (int i = 0; i < 100; i++) {
            assertEquals("round trip " + i, 1000, echo(s, 1000, i));
        }

        // Under load: a thread keeps echoing until its socket fails; the bundle stops meanwhile.
        CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; ; i++) {
                int r = echo(s, 4096, i);
                if (r != 4096) {
                    return r;
                }
            }
        });
        Thread.sleep(100);
        shm.stop();
        int failure = load.get(30, TimeUnit.SECONDS);
        assertTrue("the busy client's socket failed (" + failure + " " + Errno.name(failure) + "), it did not hang",
                failure <= 0);
        waitUntil("the shm stack service to go away", () -> stacks.getService() == null);
        s.close();
        client.close();

        shm.start();
        NetworkStack again = waitForStack();
        startEcho(again, "itest-echo");
        try (ShmClient second = ShmClient.connect(socket.toPath(), IO_TIMEOUT)) {
            ShmSocket t = second.connect("node/itest-echo");
            assertEquals("echo after the restart", 512, echo(t, 512, 7));
            t.close();
        }
    }

    /** Sends {@code size} bytes and reads them back. @return size, or what failed (0 = end of stream, negative errno). */
    static int echo(ShmSocket s, int size, int seed) {
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            out.put((byte) (seed + i));
        }
        out.flip();
        while (out.hasRemaining()) {
            int n = s.write(out, IO_TIMEOUT);
            if (n <= 0) {
                return n;
            }
        }
        ByteBuffer in = ByteBuffer.allocate(size);
        while (in.hasRemaining()) {
            int n = s.read(in, IO_TIMEOUT);
            if (n <= 0) {
                return n;
            }
        }
        for (int i = 0; i < size; i++) {
            if (in.get(i) != (byte) (seed + i)) {
                throw new AssertionError("byte " + i + " came back changed");
            }
        }
        return size;
    }

    static ServerSocket startEcho(NetworkStack stack, String name) throws Exception {
        Worker worker = stack.leastLoadedWorker();
        ServerSocket listener = stack.listen(ShmAddress.of(name), SocketOptions.DEFAULT, worker);
        Echo.onLoop(worker.center(), () -> worker.center().createFileEvent(listener, EventMask.READABLE, mask -> {
            try {
                ConnectedSocket c;
                while ((c = listener.accept(SocketOptions.DEFAULT, stack.leastLoadedWorker())) != null) {
                    ConnectedSocket accepted = c;
                    accepted.worker().center().execute(() -> serve(accepted));
                }
            } catch (IOException | IllegalStateException e) {
                listener.close();
            }
        }));
        return listener;
    }

    private static void serve(ConnectedSocket c) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        FileEvent[] event = new FileEvent[1];
        EventCenter center = c.worker().center();
        try {
            event[0] = center.createFileEvent(c, EventMask.READABLE, mask -> {
                while (true) {
                    if (buf.position() > 0) {
                        buf.flip();
                        int w = c.write(buf);
                        buf.compact();
                        if (w < 0) {
                            c.close();
                            return;
                        }
                        if (buf.position() > 0) {
                            event[0].setMask(EventMask.WRITABLE);
                            return;
                        }
                        event[0].setMask(EventMask.READABLE);
                    }
                    int n = c.read(buf);
                    if (n == -Errno.EAGAIN) {
                        return;
                    }
                    if (n <= 0) {
                        event[0].cancel();
                        c.close();
                        return;
                    }
                }
            });
        } catch (IOException e) {
            c.close();
        }
    }

    private NetworkStack waitForStack() throws InterruptedException {
        NetworkStack stack = stacks.waitForService(WAIT_MILLIS);
        assertNotNull("no NetworkStack with ferry.stack=shm within " + WAIT_MILLIS + " ms", stack);
        return stack;
    }

    private Bundle bundle() {
        for (Bundle b : context.getBundles()) {
            if (SHM.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(SHM + " is not installed");
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + WAIT_MILLIS + " ms for " + what);
            }
            Thread.sleep(20);
        }
    }
}
