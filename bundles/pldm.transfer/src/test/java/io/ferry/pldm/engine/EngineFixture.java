package io.ferry.pldm.engine;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.dma.ShmWindow;
import io.ferry.pldm.handler.HandlerRegistry;
import io.ferry.pldm.handler.PelHandler;
import io.ferry.pldm.mctp.InJvmMctpTransport;
import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.simulator.SimulatorConfig;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A node and its host in one JVM: a BMC event loop running a {@link TransferEngine} over a
 * {@link ShmDmaEngine} (window in a temporary folder), handlers (PEL and {@link ScratchHandler}),
 * a file table, and a host event loop running {@link TerminusSimulator}s, each joined to the
 * engine by an {@link InJvmMctpTransport} pair. Every wait is bounded.
 */
final class EngineFixture implements AutoCloseable {
    static final long WAIT_SECONDS = 60;
    static final int BMC_EID = 8;

    final Path dir;
    final EventLoopWorker bmc;
    final EventLoopWorker host;
    final ShmDmaEngine dma;
    final HandlerRegistry registry = new HandlerRegistry();
    final ScratchHandler scratch;
    final PelHandler pel;
    final TransferEngine engine;
    final List<TerminusSimulator> termini = new ArrayList<>();
    private final List<InJvmMctpTransport> ends = new ArrayList<>();
    private final List<TransferEngine> privateEngines = new ArrayList<>();

    EngineFixture(Path dir, long windowSize, long timeoutMillis) throws IOException {
        this(dir, windowSize, timeoutMillis, ShmDmaEngine.SLICE_SIZE_DEFAULT);
    }

    EngineFixture(Path dir, long windowSize, long timeoutMillis, int sliceSize) throws IOException {
        this.dir = dir;
        bmc = new EventLoopWorker(0, "bmc", new EpollDriverFactory().create());
        host = new EventLoopWorker(1, "host", new EpollDriverFactory().create());
        bmc.start();
        host.start();
        dma = new ShmDmaEngine(ShmWindow.create(dir, windowSize), true, FileIoChecks.DMA_MAX_SIZE, sliceSize);
        scratch = new ScratchHandler(dir.resolve("scratch"));
        pel = new PelHandler(dir.resolve("pel"));
        registry.register(scratch);
        registry.register(pel);
        Files.createDirectories(dir.resolve("table"));
        engine = new TransferEngine(TransferEngineConfig.defaults().withTimeoutMillis(timeoutMillis)
                .withFileTableDirectory(dir.resolve("table")), bmc.center(), registry, dma);
    }

    /** A new terminus with eid {@code eid} using {@code [base, base + length)} of the window. */
    TerminusSimulator terminus(int eid, long base, long length) throws IOException {
        return terminus(SimulatorConfig.of(BMC_EID, base, length), eid);
    }

    TerminusSimulator terminus(SimulatorConfig config, int eid) throws IOException {
        return terminus(engine, config, eid);
    }

    /**
     * A second engine on the same loop, handlers, file table and DMA engine with its own timeout,
     * as the transfer service's private engines for local terminals: a test can give a stalled
     * terminus a short timeout while every other transfer runs under a long one, so that only the
     * stalled transfer can time out however loaded the machine is. Closed with the fixture.
     */
    TransferEngine privateEngine(long timeoutMillis) throws IOException {
        TransferEngine e = new TransferEngine(engine.config().withTimeoutMillis(timeoutMillis), bmc.center(), registry, dma);
        privateEngines.add(e);
        return e;
    }

    /** A new terminus served by {@code served} (this fixture's engine or a {@link #privateEngine}). */
    TerminusSimulator terminus(TransferEngine served, int eid, long base, long length) throws IOException {
        return terminus(served, SimulatorConfig.of(BMC_EID, base, length), eid);
    }

    private TerminusSimulator terminus(TransferEngine served, SimulatorConfig config, int eid) throws IOException {
        TerminusSimulator sim = new TerminusSimulator(config, dma.window());
        InJvmMctpTransport[] pair = InJvmMctpTransport.pair(BMC_EID, served, eid, sim,
                MctpConfig.MAX_MESSAGE_LENGTH_DEFAULT, 256);
        served.serve(pair[0]);
        pair[0].start(bmc.center());
        sim.start(pair[1], host.center());
        ends.add(pair[0]);
        termini.add(sim);
        return sim;
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs {@code s} on the BMC loop. */
    <T> T onBmc(Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        bmc.center().execute(() -> f.complete(s.get()));
        return await(f);
    }

    /** Waits (bounded, polling every 10 ms) until {@code condition} holds; false if it never did. */
    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    static int openFds() {
        String[] l = new java.io.File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 11));
        }
        return b;
    }

    @Override
    public void close() throws Exception {
        for (TerminusSimulator t : termini) {
            t.close();
        }
        for (InJvmMctpTransport e : ends) {
            e.close();
        }
        for (TransferEngine e : privateEngines) {
            e.close();
            e.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        engine.close();
        engine.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        dma.close();
        host.stop(10_000);
        bmc.stop(10_000);
    }
}
