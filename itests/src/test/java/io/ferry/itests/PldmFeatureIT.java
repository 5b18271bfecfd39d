package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.ferry.api.pldm.TransferService;
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
 * The {@code ferry-pldm} feature in a stock Karaf 4.4: its bundles (io.ferry.unix,
 * io.ferry.pldm.transfer, with ferry-core and JNA) start, the transfer service comes up with the
 * default file types, and the {@code pldm:} commands run in Karaf's shell — a PEL written by the
 * in-node host simulator and read back with the same checksum. The MCTP endpoint is configured
 * {@code off} (etc/io.ferry.pldm.mctp.cfg) so the suite never competes for {@code \0mctp-mux}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(KarafTestContainerFactory.class)
public class PldmFeatureIT {
    private static final long WAIT_MILLIS = 30_000;

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessionFactory;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.karafWithFeature(PldmFeatureIT.class, "ferry-pldm",
                editConfigurationFilePut("etc/io.ferry.pldm.mctp.cfg", "role", "off")));
    }

    @Test
    public void shouldStartEveryBundleOfTheFeature() {
        for (String bsn : List.of("io.ferry.api", "io.ferry.core", "io.ferry.unix", "io.ferry.pldm.transfer",
                "com.sun.jna")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> bsn.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError(bsn + " not installed by ferry-pldm"));
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void shouldWriteAndReadAPelWithThePldmCommands() throws Exception {
        ServiceTracker<TransferService, TransferService> t = new ServiceTracker<>(context, TransferService.class, null);
        t.open();
        try {
            TransferService service = t.waitForService(WAIT_MILLIS);
            assertNotNull("no TransferService within " + WAIT_MILLIS + " ms", service);

            String handlers = execute("pldm:handlers");
            assertTrue(handlers, handlers.contains("PEL") && handlers.contains("DUMP") && handlers.contains("role off"));

            String wrote = execute("pldm:write 0 4242 4K");
            assertTrue(wrote, wrote.contains("wrote 4.0 KiB to PEL handle 4242"));
            String read = execute("pldm:read 0 4242 4K");
            assertTrue(read, read.contains("read 4.0 KiB of PEL handle 4242"));
            String crc = wrote.substring(wrote.indexOf("crc32")).trim();
            assertTrue("same checksum both ways:\n" + wrote + read, read.contains(crc));

            String files = execute("pldm:files");
            assertTrue(files, files.contains("4242"));
            String transfers = execute("pldm:transfers");
            assertTrue(transfers, transfers.contains("2 completed"));
        } finally {
            t.close();
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
