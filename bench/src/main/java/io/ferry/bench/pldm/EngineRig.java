package io.ferry.bench.pldm;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.dma.ShmWindow;
import io.ferry.pldm.engine.TransferEngine;
import io.ferry.pldm.engine.TransferEngineConfig;
import io.ferry.pldm.handler.HandlerRegistry;
import io.ferry.pldm.mctp.InJvmMctpTransport;
import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.simulator.SimulatorConfig;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node and its host in one JVM, as in production minus the socket: the BMC loop (epoll) runs a
 * {@link TransferEngine} with the node's defaults (20 s timeout) over a {@link ShmDmaEngine} (slices
 * of {@link #SLICE} bytes, the node's default) and the {@link BenchFileHandler}; the host loop runs
 * {@link TerminusSimulator}s joined to the engine by in-JVM MCTP pairs. Made and closed on the
 * runner's thread; everything it starts is stopped by {@link #close()}.
 */
final class EngineRig implements AutoCloseable {
    static final int BMC_EID = 8;
    static final long WAIT_SECONDS = 120;
    /** Bytes the shm engine copies per loop turn: the node's default (ShmDmaEngineConfig.SLICE_SIZE_DEFAULT). */
    static final int SLICE = Integer.getInteger("ferry.bench.pldm.slice", 256 * 1024);

    final Path dir;
    final EventLoopWorker bmc;
    final EventLoopWorker host;
    /** A third loop, for a terminus whose timing must not depend on the other termini's copies. */
    final EventLoopWorker quiet;
    final ShmDmaEngine dma;
    final BenchFileHandler files;
    final TransferEngine engine;
    private final List<TerminusSimulator> termini = new ArrayList<>();
    private final List<InJvmMctpTransport> ends = new ArrayList<>();
    private long nextBase;
    private int nextEid = 20;

    EngineRig(long windowSize) throws IOException {
        dir = Files.createTempDirectory("ferry-bench-pldm-engine-");
        EpollDriverFactory epoll = new EpollDriverFactory();
        bmc = new EventLoopWorker(0, "bench-bmc", epoll.create());
        host = new EventLoopWorker(1, "bench-host", epoll.create());
        quiet = new EventLoopWorker(2, "bench-quiet-host", epoll.create());
        bmc.start();
        host.start();
        quiet.start();
        dma = new ShmDmaEngine(ShmWindow.create(ShmDmaBenchmark.windowDirectory(), windowSize), true,
                FileIoChecks.DMA_MAX_SIZE, SLICE);
        files = new BenchFileHandler(dir.resolve("files"));
        HandlerRegistry registry = new HandlerRegistry();
        registry.register(files);
        engine = new TransferEngine(TransferEngineConfig.defaults(), bmc.center(), registry, dma);
    }

    /** A new host terminus on the host loop with {@code length} bytes of host memory of its own. */
    TerminusSimulator terminus(long length) throws IOException {
        return terminus(length, host);
    }

    /** A new host terminus on {@code loop} with {@code length} bytes of host memory of its own. */
    TerminusSimulator terminus(long length, EventLoopWorker loop) throws IOException {
        TerminusSimulator sim = new TerminusSimulator(SimulatorConfig.of(BMC_EID, nextBase, length), dma.window());
        nextBase += (length + 4095) / 4096 * 4096;
        InJvmMctpTransport[] pair = InJvmMctpTransport.pair(BMC_EID, engine, nextEid++, sim,
                MctpConfig.MAX_MESSAGE_LENGTH_DEFAULT, 256);
        engine.serve(pair[0]);
        pair[0].start(bmc.center());
        sim.start(pair[1], loop.center());
        ends.add(pair[0]);
        termini.add(sim);
        return sim;
    }

    /** Writes a file of {@code size} bytes at {@code handle} (each long holds its offset). */
    void file(long handle, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(files.path(handle), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            for (long pos = 0; pos < size; pos += b.capacity()) {
                b.clear();
                for (int i = 0; i < b.capacity(); i += 8) {
                    b.putLong(i, pos + i);
                }
                b.limit((int) Math.min(b.capacity(), size - pos));
                while (b.hasRemaining()) {
                    ch.write(b, pos + b.position());
                }
            }
        }
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (TerminusSimulator t : termini) {
            t.close();
        }
        for (InJvmMctpTransport e : ends) {
            e.close();
        }
        engine.close();
        engine.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        dma.close();
        quiet.stop(10_000);
        host.stop(10_000);
        bmc.stop(10_000);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
