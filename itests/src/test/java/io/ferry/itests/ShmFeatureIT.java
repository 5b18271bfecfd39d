package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.ferry.api.net.NetworkStack;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmDatagramSocket;
import io.ferry.netstack.shm.client.ShmSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.container.internal.KarafTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code ferry-shm} feature in a stock Karaf 4.4: its bundles (io.ferry.unix,
 * io.ferry.netstack.shm, with ferry-core and JNA) start, NetworkStack {@code ferry.stack=shm} comes
 * up on core's WorkerPoolFactory, and a client (the exported client library) echoes through a
 * listener inside Karaf and exchanges datagrams. The socket path is configured
 * (etc/io.ferry.netstack.shm.cfg) so the suite never competes with a node using the default.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(KarafTestContainerFactory.class)
public class ShmFeatureIT {
    private static final long WAIT_MILLIS = 30_000;
    private static final String SOCKET = "/tmp/ferry-karaf-shm-itest/shm.sock";
    private static final long IO_TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.karafWithFeature(ShmFeatureIT.class, "ferry-shm",
                editConfigurationFilePut("etc/io.ferry.netstack.shm.cfg", "socketPath", SOCKET)));
    }

    @Test
    public void shouldStartEveryBundleOfTheFeatureAndServeAClient() throws Exception {
        for (String bsn : List.of("io.ferry.api", "io.ferry.core", "io.ferry.unix", "io.ferry.netstack.shm",
                "com.sun.jna")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> bsn.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError(bsn + " not installed by ferry-shm"));
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
        ServiceTracker<NetworkStack, NetworkStack> t = new ServiceTracker<>(context, context.createFilter(
                "(&(objectClass=" + NetworkStack.class.getName() + ")(" + NetworkStack.TYPE_PROPERTY + "=shm))"), null);
        t.open();
        try {
            NetworkStack stack = t.waitForService(WAIT_MILLIS);
            assertNotNull("no NetworkStack ferry.stack=shm within " + WAIT_MILLIS + " ms", stack);
            ShmInFelixIT.startEcho(stack, "karaf-echo");
            try (ShmClient client = ShmClient.connect(Path.of(SOCKET), IO_TIMEOUT)) {
                ShmSocket s = client.connect("node/karaf-echo");
                for (int i = 0; i < 20; i++) {
                    assertEquals(2048, ShmInFelixIT.echo(s, 2048, i));
                }
                s.close();
                ShmDatagramSocket a = client.openDatagram("karaf/a");
                ShmDatagramSocket b = client.openDatagram("karaf/b");
                b.setTimeoutNanos(IO_TIMEOUT);
                assertEquals(3, a.send(ShmAddress.of("karaf/b"), ByteBuffer.wrap(new byte[] {1, 2, 3})));
                assertEquals(3, b.receive(ByteBuffer.allocate(16)));
                assertEquals(ShmAddress.of("karaf/a"), b.lastSource());
                a.close();
                b.close();
            }
        } finally {
            t.close();
        }
    }
}
