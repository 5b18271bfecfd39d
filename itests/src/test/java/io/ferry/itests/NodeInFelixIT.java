package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.api.net.NetworkStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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
import org.osgi.util.tracker.ServiceTracker;

/**
 * The node bundle in Felix with the Gogo runtime: {@code ferry:status} and {@code ferry:demo}
 * are found by Gogo from their service properties alone, and the tour passes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class NodeInFelixIT {

    @Inject
    CommandProcessor commands;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.felixWithCore(NodeInFelixIT.class),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime").versionAsInProject(),
                FerryOptions.ferryBundle("node"));
    }

    /** The tour checks the node: give the core's services their (bounded) time to appear first. */
    @Before
    public void awaitThePosixStack() throws Exception {
        ServiceTracker<NetworkStack, NetworkStack> stacks = new ServiceTracker<>(context, NetworkStack.class, null);
        stacks.open();
        try {
            assertNotNull("no NetworkStack within 10 s", stacks.waitForService(10_000));
        } finally {
            stacks.close();
        }
    }

    @Test
    public void shouldRunTheTourWithEveryStepPassing() throws Exception {
        String out = execute("ferry:demo");

        List<String> lines = out.lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(out, last.matches("demo: \\d+ passed, 0 failed"));
        assertTrue(out, lines.get(0).startsWith("PASS  node: status "));
        assertEquals(out, lines.size() - 1, lines.stream().filter(l -> l.startsWith("PASS  ")).count());
    }

    @Test
    public void shouldPrintTheStatusOfTheNode() throws Exception {
        String out = execute("ferry:status");

        assertTrue(out, out.contains("ACTIVE  io.ferry.core"));
        assertTrue(out, out.contains("ferry.stack=posix"));
        assertTrue(out, out.contains("ferry-posix-0"));
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, 0));
            }
        } finally {
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
