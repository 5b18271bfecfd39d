package io.ferry.pldm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.pldm.dma.DmaCompletion;
import io.ferry.pldm.dma.DmaEngine;
import io.ferry.pldm.dma.DmaOperation;
import io.ferry.pldm.dma.DmaRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DmaEngineComponentsTest {
    @TempDir
    Path tmp;

    @Test
    void shmEngineRegistersWithItsWindowFileAndDeletesItWhenDeactivated() throws Exception {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        ShmDmaEngineComponent c = new ShmDmaEngineComponent();
        c.activate(fw.context(), Map.of("windowDirectory", tmp.toString(), "windowSize", "1048576"));

        List<FakeBundleContext.Registered> live = fw.live(DmaEngine.class);
        assertEquals(1, live.size());
        FakeBundleContext.Registered r = live.get(0);
        assertEquals("shm", r.property(DmaEngineProperties.NAME));
        Path window = Path.of((String) r.property(DmaEngineProperties.WINDOW));
        assertEquals(tmp, window.getParent());
        assertEquals(1048576L, r.property(DmaEngineProperties.WINDOW_SIZE));
        assertTrue(Files.size(window) >= 1048576L, "the file holds the host memory (and the simulator's control page)");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(window)));

        c.deactivate();
        assertTrue(fw.live(DmaEngine.class).isEmpty());
        assertFalse(Files.exists(window), "the window file is deleted with the engine");
    }

    @Test
    void shmEngineRefusesBadValuesAndKeepsTheRunningEngine() throws Exception {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        ShmDmaEngineComponent c = new ShmDmaEngineComponent();
        c.activate(fw.context(), Map.of("windowDirectory", tmp.toString(), "windowSize", 65536));
        Object engine = fw.live(DmaEngine.class).get(0).service;

        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("windowSize", 100),
                Map.of("windowSize", 1L << 40), Map.of("sliceSize", "1.5"), Map.of("sliceSize", 1 << 30),
                Map.of("windowDirectory", tmp.resolve("missing").toString()), Map.of("windowDirectory", "shm"))) {
            c.modified(bad);
            assertSame(engine, fw.live(DmaEngine.class).get(0).service, "after " + bad);
        }
        assertEquals(1, fw.all().size());
        c.deactivate();
    }

    @Test
    void shmEngineChangeStartsANewWindowAndClosesTheOldEngine() throws Exception {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        ShmDmaEngineComponent c = new ShmDmaEngineComponent();
        c.activate(fw.context(), Map.of("windowDirectory", tmp.toString(), "windowSize", 65536));
        DmaEngine old = (DmaEngine) fw.live(DmaEngine.class).get(0).service;
        Path oldWindow = Path.of((String) fw.live(DmaEngine.class).get(0).property(DmaEngineProperties.WINDOW));

        c.modified(Map.of("windowDirectory", tmp.toString(), "windowSize", 131072));
        List<FakeBundleContext.Registered> live = fw.live(DmaEngine.class);
        assertEquals(1, live.size());
        assertNotEquals(oldWindow.toString(), live.get(0).property(DmaEngineProperties.WINDOW));
        assertFalse(old.isAvailable(), "the old engine is closed");
        assertFalse(Files.exists(oldWindow));

        c.modified(Map.of("windowDirectory", tmp.toString(), "windowSize", 131072, "enabled", false));
        assertTrue(fw.live(DmaEngine.class).isEmpty());
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".window")).count(),
                    "no window file left behind");
        }
        c.deactivate();
    }

    @Test
    void xdmaEngineIsNotRegisteredWhereTheDeviceIsMissing() {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        XdmaDmaEngineComponent c = new XdmaDmaEngineComponent();
        c.activate(fw.context(), Map.of());
        if (Files.exists(Path.of("/dev/aspeed-xdma"))) {
            assertEquals(1, fw.live(DmaEngine.class).size(), "a BMC with the device gets the engine");
        } else {
            assertTrue(fw.live(DmaEngine.class).isEmpty());
            assertNotNull(c.unavailableReason());
            assertTrue(c.unavailableReason().contains("/dev/aspeed-xdma"), c.unavailableReason());
        }
        c.deactivate();
        assertTrue(fw.live(DmaEngine.class).isEmpty());
    }

    @Test
    void xdmaEngineIsRegisteredWhereAvailableAndClosedWhenDisabled() {
        FakeBundleContext fw = new FakeBundleContext(tmp);
        AtomicBoolean closed = new AtomicBoolean();
        XdmaDmaEngineComponent c = new XdmaDmaEngineComponent(() -> new AvailableEngine(closed));
        c.activate(fw.context(), Map.of());
        assertEquals(1, fw.live(DmaEngine.class).size());
        assertEquals("xdma", fw.live(DmaEngine.class).get(0).property(DmaEngineProperties.NAME));
        assertNull(c.unavailableReason());

        c.modified(Map.of("enabled", "maybe"));
        assertEquals(1, fw.live(DmaEngine.class).size(), "a bad value keeps the engine");
        assertFalse(closed.get());

        c.modified(Map.of("enabled", false));
        assertTrue(fw.live(DmaEngine.class).isEmpty());
        assertTrue(closed.get(), "the engine is closed when disabled");
        c.deactivate();
    }

    /** An engine that says it is available (the xdma device itself is tested in the dma package). */
    private static final class AvailableEngine implements DmaEngine {
        private final AtomicBoolean closed;

        AvailableEngine(AtomicBoolean closed) {
            this.closed = closed;
        }

        @Override
        public String name() {
            return "xdma";
        }

        @Override
        public int maxTransferSize() {
            return 4096;
        }

        @Override
        public boolean isAvailable() {
            return !closed.get();
        }

        @Override
        public String unavailableReason() {
            return closed.get() ? "closed" : null;
        }

        @Override
        public DmaOperation start(DmaRequest request, EventCenter center, DmaCompletion completion) {
            throw new UnsupportedOperationException("not started in this test");
        }

        @Override
        public int openOperations() {
            return 0;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
