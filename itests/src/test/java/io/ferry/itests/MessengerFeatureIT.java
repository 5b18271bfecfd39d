package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.msgr.Messenger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
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
 * The {@code ferry-messenger} feature in a stock Karaf 4.4: it installs (with ferry-core under it),
 * the messenger bundle starts and registers a {@link Messenger} on the posix stack, and the
 * {@code msgr:} commands run through Karaf's shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(KarafTestContainerFactory.class)
public class MessengerFeatureIT {
    private static final long WAIT_MILLIS = 30_000;

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.karafWithFeature(MessengerFeatureIT.class, "ferry-messenger"));
    }

    @Test
    public void shouldStartTheMessengerAndRunItsCommandsInKarafsShell() throws Exception {
        for (String bsn : List.of("io.ferry.api", "io.ferry.core", "io.ferry.messenger")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> bsn.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError(bsn + " not installed by ferry-messenger"));
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
        ServiceTracker<Messenger, Messenger> messengers = new ServiceTracker<>(context, Messenger.class, null);
        messengers.open();
        try {
            Messenger m = messengers.waitForService(WAIT_MILLIS);
            assertNotNull("no Messenger within " + WAIT_MILLIS + " ms", m);

            String status = execute("msgr:status");
            assertTrue(status, status.contains("messenger ferry  osd.0  " + m.myAddress()));
            assertTrue(status, status.contains("stack posix"));

            String bench = execute("msgr:bench 500 64");
            assertTrue(bench, bench.contains("msgs/s") && bench.contains("rtt p50"));

            String ping = execute("msgr:ping " + m.myAddress() + " osd 5000");
            assertTrue(ping, ping.contains("keepalive2 rtt") && ping.contains("MPing rtt"));
        } finally {
            messengers.close();
        }
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(result);
            }
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
