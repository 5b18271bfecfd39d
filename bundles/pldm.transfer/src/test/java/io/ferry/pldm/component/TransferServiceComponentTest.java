package io.ferry.pldm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.net.NetworkStack;
import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.HandlerInfo;
import io.ferry.api.pldm.PldmCompletionCodes;
import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferListener;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.dma.ShmWindow;
import io.ferry.pldm.handler.PelHandler;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer service component outside a framework: a real event loop (epoll), the shm DMA
 * engine, the endpoint role {@code off}, PEL handlers bound and unbound as the whiteboard would,
 * and local terminals as the console and the demo use them.
 */
class TransferServiceComponentTest {
    static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    private EventLoopWorker worker;
    private ShmDmaEngine dma;
    private TransferServiceComponent service;
    private FakeBundleContext fw;

    @BeforeEach
    void start() throws Exception {
        worker = new EventLoopWorker(0, "pldm-test", new EpollDriverFactory().create());
        worker.start();
        dma = new ShmDmaEngine(ShmWindow.create(tmp, 96L << 20), true, FileIoChecks.DMA_MAX_SIZE, 1 << 20);
        fw = new FakeBundleContext(tmp.resolve("data"));
        service = new TransferServiceComponent();
        service.stack = (NetworkStack) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {NetworkStack.class}, (p, m, a) -> switch (m.getName()) {
                    case "leastLoadedWorker" -> worker;
                    case "toString" -> "posix stack stand-in";
                    case "type" -> "posix";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        service.dmaEngines = List.of(dma);
        service.endpoint = MctpEndpointComponent.parse(Map.of("role", "off"));
    }

    @AfterEach
    void stop() {
        service.deactivate();
        dma.close();
        worker.stop(10_000);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + (i >>> 9));
        }
        return b;
    }

    private PelHandler pel(String dir, long maxSize) throws IOException {
        PelHandler h = new PelHandler(tmp.resolve(dir), maxSize);
        service.addHandler(h, Map.of(FileTypeHandler.FILE_TYPE_PROPERTY, 0));
        return h;
    }

    @Test
    void aPelWrittenThroughALocalTerminalIsStoredAndReadBack() throws Exception {
        service.activate(fw.context(), Map.of());
        PelHandler pel = pel("pel", PelHandler.MAX_SIZE_DEFAULT);
        assertEquals(List.of(new HandlerInfo(0, "PEL", PelHandler.class.getName())), service.handlers());

        try (LocalTerminal host = service.open(64 * 1024, SimulatorBehaviour.NORMAL, 0)) {
            TerminusSimulator sim = host.simulator();
            assertEquals(1, await(sim.getTid()));
            byte[] data = pattern(4096);
            TerminusSimulator.Result w = await(sim.writeFileByType(0, 42, 0, data));
            assertEquals(PldmCompletionCodes.SUCCESS, w.completionCode(), w.toString());
            assertTrue(Arrays.equals(data, Files.readAllBytes(tmp.resolve("pel/store/42"))));
            assertEquals(List.of(42L), pel.storedPels());

            TerminusSimulator.Result r = await(sim.readFileByType(0, 42, 0, 4096));
            assertEquals(PldmCompletionCodes.SUCCESS, r.completionCode(), r.toString());
            assertTrue(Arrays.equals(data, r.data()));
            assertEquals(PldmCompletionCodes.IBM_INVALID_FILE_TYPE, await(sim.readFileByType(0x33, 1, 0, 16)).completionCode(),
                    "a type nobody serves answers 0x89");
        }
        assertTrue(service.describe().contains("0 local terminal(s)"), service.describe());
    }

    @Test
    void aHandlerThatLeavesFailsItsTransferInFlightAndItsTypeAnswers0x89() throws Exception {
        service.activate(fw.context(), Map.of());
        PelHandler pel = pel("pel", 64L << 20);
        TransferListener removeOnStart = new TransferListener() {
            @Override
            public void transferStarted(TransferInfo transfer) {
                service.removeHandler(pel); // on the loop, as a bundle stopping would race with it
            }
        };
        service.addListener(removeOnStart);
        try (LocalTerminal host = service.open(32L << 20, SimulatorBehaviour.NORMAL, 0)) {
            TerminusSimulator.Result w = await(host.simulator().writeFileByType(0, 7, 0, pattern(32 << 20)));
            service.removeListener(removeOnStart);
            assertEquals(PldmCompletionCodes.ERROR, w.completionCode(), "the host gets ERROR: " + w);
            assertEquals(1, service.counters().failed(), service.counters().toString());
            assertEquals(0, service.counters().inFlight());
            assertFalse(Files.exists(tmp.resolve("pel/incoming/7")), "the partial PEL is removed");
            assertFalse(Files.exists(tmp.resolve("pel/store/7")));
            assertTrue(pel.storedPels().isEmpty());
            assertTrue(service.handlers().isEmpty());
            assertEquals(PldmCompletionCodes.IBM_INVALID_FILE_TYPE,
                    await(host.simulator().writeFileByType(0, 8, 0, pattern(4096))).completionCode());
            assertEquals(0, dma.openOperations());
        }
    }

    @Test
    void aSecondHandlerOfATypeWaitsAndTakesOverWhenTheFirstLeaves() throws Exception {
        service.activate(fw.context(), Map.of());
        PelHandler first = pel("first", PelHandler.MAX_SIZE_DEFAULT);
        PelHandler second = pel("second", PelHandler.MAX_SIZE_DEFAULT);
        try (LocalTerminal host = service.open(64 * 1024, SimulatorBehaviour.NORMAL, 0)) {
            assertEquals(0, await(host.simulator().writeFileByType(0, 1, 0, pattern(64))).completionCode());
            assertTrue(Files.exists(tmp.resolve("first/store/1")));
            service.removeHandler(first);
            assertEquals(0, await(host.simulator().writeFileByType(0, 2, 0, pattern(64))).completionCode());
            assertTrue(Files.exists(tmp.resolve("second/store/2")));
            assertTrue(service.wrapper(first) == null && service.wrapper(second) != null);
        }
    }

    @Test
    void aStalledTransferOnAShortTimeoutTerminalTimesOutAndFreesEverything() throws Exception {
        service.activate(fw.context(), Map.of());
        pel("pel", 1L << 20);
        int ops = dma.openOperations();
        try (LocalTerminal host = service.open(1 << 20, SimulatorBehaviour.STALL, 200)) {
            assertEquals(200, host.timeoutMillis());
            TerminusSimulator.Result w = await(host.simulator().writeFileByType(0, 9, 0, pattern(256 * 1024)));
            assertEquals(PldmCompletionCodes.ERROR, w.completionCode(), w.toString());
            assertEquals(1, host.counters().timedOut());
            assertEquals(0, host.counters().inFlight());
            assertEquals(0, service.counters().timedOut(), "the node's own engine was not involved");
            assertFalse(Files.exists(tmp.resolve("pel/incoming/9")));
        }
        assertEquals(ops, dma.openOperations());
    }

    @Test
    void badConfigurationIsRefusedAndTheRunningEngineStays() throws Exception {
        service.activate(fw.context(), Map.of("timeoutMillis", "soon"));
        assertEquals(TransferServiceConfig.TIMEOUT_MILLIS_DEFAULT, service.engine().config().timeoutMillis(),
                "a bad value at activation starts on the defaults");
        Object engine = service.engine();
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("timeoutMillis", 5), Map.of("tid", 0),
                Map.of("maxInlineLength", 1 << 20), Map.of("dmaEngine", "magic"), Map.of("fileTableDirectory", "table"),
                Map.of("maxTransfers", "-1"))) {
            service.modified(bad);
            assertSame(engine, service.engine(), "after " + bad);
        }
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("timeoutMillis", 5), Map.of("tid", 0))) {
            ConfigValues.BadValue e = assertThrows(ConfigValues.BadValue.class, () -> TransferServiceComponent.parse(bad));
            assertTrue(e.getMessage().startsWith(bad.keySet().iterator().next()), e.getMessage());
        }
    }

    @Test
    void aValidChangeRestartsTheEngineAndKeepsHandlersAndListeners() throws Exception {
        service.activate(fw.context(), Map.of());
        pel("pel", PelHandler.MAX_SIZE_DEFAULT);
        Object before = service.engine();
        Map<String, Object> change = new HashMap<>(Map.of("tid", 9, "timeoutMillis", 1000));
        service.modified(change);
        assertNotSame(before, service.engine());
        assertEquals(1000, service.engine().config().timeoutMillis());
        try (LocalTerminal host = service.open(64 * 1024, SimulatorBehaviour.NORMAL, 0)) {
            assertEquals(9, await(host.simulator().getTid()));
            assertEquals(0, await(host.simulator().writeFileByType(0, 3, 0, pattern(32))).completionCode());
        }
    }

    @Test
    void localTerminalsShareTheWindowInDisjointRangesAndGiveThemBack() throws Exception {
        service.activate(fw.context(), Map.of());
        LocalTerminal a = service.open(48L << 20, SimulatorBehaviour.NORMAL, 0);
        LocalTerminal b = service.open(40L << 20, SimulatorBehaviour.NORMAL, 0);
        IOException full = assertThrows(IOException.class, () -> service.open(16L << 20, SimulatorBehaviour.NORMAL, 0));
        assertTrue(full.getMessage().contains("no free"), full.getMessage());
        assertTrue(a.eid() != b.eid());
        a.close();
        a.close();
        LocalTerminal c = service.open(32L << 20, SimulatorBehaviour.NORMAL, 0);
        c.close();
        b.close();
    }

    @Test
    void stoppingTheServiceClosesTerminalsAndFailsTheirPendingWork() throws Exception {
        service.activate(fw.context(), Map.of());
        pel("pel", 1L << 20);
        LocalTerminal host = service.open(1 << 20, SimulatorBehaviour.STALL, 0);
        var pending = host.simulator().writeFileByType(0, 5, 0, pattern(512 * 1024));
        assertTrue(waitFor(() -> service.counters().inFlight() == 1), "the stalled transfer runs");
        service.deactivate();
        assertThrows(Exception.class, () -> {
            TerminusSimulator.Result r = await(pending);
            if (r.completionCode() != PldmCompletionCodes.SUCCESS) {
                throw new IOException("cc " + r.completionCode());
            }
        }, "pending work fails, it does not hang");
        assertNull(service.engine());
        assertEquals(0, dma.openOperations());
        assertTrue(service.transfers().isEmpty());
    }

    @Test
    void whenTheStackStopsItsWorkerTheServiceMovesToANewOne() throws Exception {
        service.activate(fw.context(), Map.of());
        pel("pel", PelHandler.MAX_SIZE_DEFAULT);
        EventLoopWorker old = worker;
        worker = new EventLoopWorker(1, "pldm-test-2", new EpollDriverFactory().create());
        worker.start();
        old.stop(10_000); // as the posix stack does when it is reconfigured
        assertTrue(waitFor(() -> service.engine() != null && service.engine().center() == worker.center()),
                "the watchdog restarted the engine on the new worker");
        try (LocalTerminal host = service.open(64 * 1024, SimulatorBehaviour.NORMAL, 0)) {
            assertEquals(1, await(host.simulator().getTid()));
            assertEquals(0, await(host.simulator().writeFileByType(0, 4, 0, pattern(64))).completionCode());
        }
    }

    @Test
    void countersArePublishedOverJmxWhileTheServiceIsActive() throws Exception {
        service.activate(fw.context(), Map.of());
        pel("pel", PelHandler.MAX_SIZE_DEFAULT);
        try (LocalTerminal host = service.open(64 * 1024, SimulatorBehaviour.NORMAL, 0)) {
            assertEquals(0, await(host.simulator().writeFileByType(0, 21, 0, pattern(1024))).completionCode());
        }
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = new javax.management.ObjectName(TransferServiceMBeanRegistration.OBJECT_NAME);
        assertEquals(1L, server.getAttribute(name, "Completed"));
        assertEquals(1024L, server.getAttribute(name, "Bytes"));
        assertTrue(Arrays.equals(new int[] {0}, (int[]) server.getAttribute(name, "FileTypes")));
        service.deactivate();
        assertFalse(server.isRegistered(name), "unregistered with the component");
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return c.getAsBoolean();
    }
}
