package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;

import io.ferry.api.net.NetworkStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
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
 * The {@code ferry-core} feature in a stock Karaf 4.4: it installs from the features module's
 * repository, its bundles start, and {@code ferry:status} (a plain DS component with
 * {@code osgi.command.*} properties, no Karaf API) runs through Karaf's own shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(KarafTestContainerFactory.class)
public class FerryCoreFeatureIT {
    private static final long WAIT_MILLIS = 30_000;

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.karafWithFeature(FerryCoreFeatureIT.class, "ferry-core"));
    }

    @Test
    public void shouldStartEveryBundleOfTheFeature() {
        for (String bsn : List.of("io.ferry.api", "io.ferry.core", "io.ferry.node", "com.sun.jna")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> bsn.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError(bsn + " not installed by ferry-core"));
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void shouldShowThePosixStackAndItsWorkersInFerryStatus() throws Exception {
        ServiceTracker<NetworkStack, NetworkStack> stacks = new ServiceTracker<>(context, NetworkStack.class, null);
        stacks.open();
        try {
            NetworkStack stack = stacks.waitForService(WAIT_MILLIS);
            assertNotNull("no NetworkStack within " + WAIT_MILLIS + " ms", stack);

            String out = execute("ferry:status");

            assertTrue(out, out.contains("io.ferry.core"));
            assertTrue(out, out.contains("ferry.stack=posix"));
            assertTrue(out, out.contains("Stack posix: driver " + stack.driverName() + ", "
                    + stack.workers().size() + " workers"));
            List<String> threads = stack.workers().stream().map(w -> w.center().name()).collect(Collectors.toList());
            for (String thread : threads) {
                assertTrue("worker " + thread + " in\n" + out, out.contains(thread));
            }
        } finally {
            stacks.close();
        }
    }

    /** Runs a command in a new Karaf shell session and returns what it printed. */
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
