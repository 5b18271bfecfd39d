package io.ferry.pldm.engine;

import static io.ferry.pldm.engine.EngineFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.mctp.MctpDemuxServer;
import io.ferry.pldm.simulator.SimulatorMain;
import io.ferry.unix.Unix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminus simulator in a child JVM ({@link SimulatorMain}) connects to the engine's
 * mctp-demux socket as a client and exchanges WriteFileByType and ReadFileByType with it, by DMA
 * through the shared shm window and inline, checking the bytes on both sides.
 */
class EngineSeparateProcessTest {
    @TempDir
    Path dir;

    @Test
    void shouldExchangeFilesByTypeWithARequesterInAnotherProcess() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
        String name = "ferry-pldm-engine-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Process child = null;
        try (EngineFixture node = new EngineFixture(dir, 16L << 20, 10_000)) {
            Files.write(node.scratch.path(3), pattern(65536, 3));
            MctpDemuxServer server = new MctpDemuxServer(MctpConfig.defaults().withSocketName(name), node.engine);
            node.engine.serve(server);
            server.start(node.bmc.center());
            try {
                int t = ScratchHandler.TYPE;
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
                child = new ProcessBuilder(List.of(java, "-cp", classPath, SimulatorMain.class.getName(), name,
                        node.dma.window().path().toString(), "0", "tid",
                        "write:" + t + ":1:1048576:1", "iwrite:" + t + ":2:4000:2",
                        "read:" + t + ":1:1048576:1", "iread:" + t + ":2:4000:2",
                        "read:" + t + ":3:65536:3", "iread:" + t + ":3:3000:3"))
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished in time");
                assertEquals(0, child.exitValue(), "the child's failed step");
                assertArrayEquals(pattern(1048576, 1), Files.readAllBytes(node.scratch.path(1)));
                assertArrayEquals(pattern(4000, 2), Files.readAllBytes(node.scratch.path(2)));
                assertEquals(0, node.engine.inFlight());
                assertTrue(node.engine.counters().completed() >= 6);
            } finally {
                server.close();
                server.closeFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
