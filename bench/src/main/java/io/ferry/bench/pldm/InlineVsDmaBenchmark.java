package io.ferry.bench.pldm;

import io.ferry.bench.BenchOptions;
import io.ferry.bench.ResultRow;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The DMA path against the small inline path, both through the whole responder — the
 * {@link io.ferry.pldm.engine.TransferEngine} with a {@link TerminusSimulator} as the host, in-JVM
 * MCTP between them ({@link EngineRig}):
 * <ul>
 *   <li>DMA: one ReadFileByTypeIntoMemory (WriteFileByTypeFromMemory) of {@value #SIZE_MIB} MiB; the
 *       engine chunks it (8 MiB - 4 KiB) and the shm engine copies it in 1 MiB slices;</li>
 *   <li>inline (the LPC-like path, the anchor): the same bytes as {@value #CHUNK}-byte
 *       ReadFileByType (WriteFileByType) requests, one after the other, each sent from the host loop
 *       as soon as the previous answer arrived (no thread hand-off between chunks).</li>
 * </ul>
 * Both sides include the simulator's own copy between its host memory (or message) and a byte
 * array. Figures are MiB/s, medians over turn-taking windows.
 */
final class InlineVsDmaBenchmark {
    static final int SIZE_MIB = 8;
    static final int SIZE = SIZE_MIB << 20;
    static final int CHUNK = 4096;
    static final String ANCHOR = "4 KiB inline ReadFileByType/WriteFileByType, same responder";

    private InlineVsDmaBenchmark() {
    }

    static List<ResultRow> run(BenchOptions options) throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        try (EngineRig rig = new EngineRig(2L * SIZE + (1 << 20))) {
            TerminusSimulator host = rig.terminus(2L * SIZE);
            rig.file(1, SIZE);
            byte[] data = new byte[SIZE];

            Turns.Contender dmaRead = contender("dma", () -> {
                TerminusSimulator.Result r = EngineRig.await(host.readFileByType(BenchFileHandler.TYPE, 1, 0, SIZE));
                check(r, SIZE);
                return r.length();
            });
            Turns.Contender inlineRead = contender("inline 4 KiB", () -> EngineRig.await(inlineRead(host, SIZE)));
            verifyRead(host);
            double[] read = Turns.medianMibPerSecond("read " + SIZE_MIB + " MiB", List.of(dmaRead, inlineRead), options);
            rows.add(ResultRow.rate("read " + SIZE_MIB + " MiB: DMA vs 4 KiB inline", "throughput", "MiB/s",
                    ShmDmaBenchmark.round(read[0]), ANCHOR, ShmDmaBenchmark.round(read[1])));

            Turns.Contender dmaWrite = contender("dma", () -> {
                TerminusSimulator.Result r = EngineRig.await(host.writeFileByType(BenchFileHandler.TYPE, 2, 0, data));
                check(r, SIZE);
                return SIZE;
            });
            Turns.Contender inlineWrite = contender("inline 4 KiB", () -> EngineRig.await(inlineWrite(host, data)));
            double[] write = Turns.medianMibPerSecond("write " + SIZE_MIB + " MiB", List.of(dmaWrite, inlineWrite), options);
            rows.add(ResultRow.rate("write " + SIZE_MIB + " MiB: DMA vs 4 KiB inline", "throughput", "MiB/s",
                    ShmDmaBenchmark.round(write[0]), ANCHOR, ShmDmaBenchmark.round(write[1])));
            if (rig.engine.counters().failed() != 0 || rig.engine.counters().refused() != 0) {
                throw new IllegalStateException("transfers failed during the benchmark: " + rig.engine.counters());
            }
        }
        return rows;
    }

    /** The whole file as 4 KiB ReadFileByType requests chained on the host loop. @return bytes read */
    private static CompletableFuture<Long> inlineRead(TerminusSimulator host, long size) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        readFrom(host, 0, size, done);
        return done;
    }

    private static void readFrom(TerminusSimulator host, long offset, long size, CompletableFuture<Long> done) {
        if (offset >= size) {
            done.complete(size);
            return;
        }
        host.readFileByTypeInline(BenchFileHandler.TYPE, 1, offset, CHUNK).whenComplete((r, t) -> {
            if (t != null) {
                done.completeExceptionally(t);
            } else if (!r.ok() || r.length() != CHUNK) {
                done.completeExceptionally(new IOException("inline read at " + offset + ": " + r));
            } else {
                readFrom(host, offset + CHUNK, size, done);
            }
        });
    }

    /** The data as 4 KiB WriteFileByType requests chained on the host loop. @return bytes written */
    private static CompletableFuture<Long> inlineWrite(TerminusSimulator host, byte[] data) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        writeFrom(host, data, 0, done);
        return done;
    }

    private static void writeFrom(TerminusSimulator host, byte[] data, int offset, CompletableFuture<Long> done) {
        if (offset >= data.length) {
            done.complete((long) data.length);
            return;
        }
        byte[] chunk = java.util.Arrays.copyOfRange(data, offset, offset + CHUNK);
        host.writeFileByTypeInline(BenchFileHandler.TYPE, 3, offset, chunk).whenComplete((r, t) -> {
            if (t != null) {
                done.completeExceptionally(t);
            } else if (!r.ok()) {
                done.completeExceptionally(new IOException("inline write at " + offset + ": " + r));
            } else {
                writeFrom(host, data, offset + CHUNK, done);
            }
        });
    }

    private static void verifyRead(TerminusSimulator host) throws Exception {
        TerminusSimulator.Result r = EngineRig.await(host.readFileByType(BenchFileHandler.TYPE, 1, 0, SIZE));
        check(r, SIZE);
        ByteBuffer b = ByteBuffer.wrap(r.data());
        for (int at = 0; at < SIZE; at += 1 << 16) {
            if (b.getLong(at) != at) {
                throw new IllegalStateException("DMA read: wrong bytes at " + at);
            }
        }
        TerminusSimulator.Result last = EngineRig.await(host.readFileByTypeInline(BenchFileHandler.TYPE, 1, SIZE - CHUNK, CHUNK));
        check(last, CHUNK);
        if (ByteBuffer.wrap(last.data()).getLong(0) != SIZE - CHUNK) {
            throw new IllegalStateException("inline read: wrong bytes in the last chunk");
        }
    }

    private static void check(TerminusSimulator.Result r, long length) {
        if (!r.ok() || r.length() != length) {
            throw new IllegalStateException("transfer answered " + r + ", expected SUCCESS with " + length + " bytes");
        }
    }

    private static Turns.Contender contender(String label, Job job) {
        return new Turns.Contender() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public long runOnce() throws Exception {
                return job.run();
            }
        };
    }

    @FunctionalInterface
    interface Job {
        long run() throws Exception;
    }
}
