package io.ferry.bench.pldm;

import io.ferry.bench.BenchOptions;
import io.ferry.bench.ResultRow;
import io.ferry.pldm.dma.DmaRequest;
import io.ferry.pldm.dma.DmaStatus;
import io.ferry.pldm.dma.ShmDmaEngine;
import io.ferry.pldm.dma.ShmWindow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code shm} DMA engine ({@link ShmDmaEngine} on a real epoll event loop) against the JDK's
 * own kernel copy, {@link FileChannel#transferTo}, moving the same bytes between the same local
 * file and the same host-memory window file:
 * <ul>
 *   <li><b>file -> host</b> (ReadFileIntoMemory): Ferry reads the file into the window's mapping in
 *       1 MiB slices, one per loop turn, in chunks of 8 MiB - 4 KiB; the anchor is
 *       {@code file.transferTo(0, n, windowFileChannel)} (sendfile into the window file's pages,
 *       which are the mapping's pages);</li>
 *   <li><b>host -> file</b> (WriteFileFromMemory): Ferry writes from the mapping into the file; the
 *       anchor is {@code windowFileChannel.transferTo(0, n, file)}.</li>
 * </ul>
 * Each Ferry run is timed from the runner's thread: hand the request to the loop, wait for the
 * completion — so the loop hand-off and the slicing are part of the figure. Both sides are
 * checked once for the right bytes before they are timed. The window lives in {@code /dev/shm}
 * (a temporary folder where that is missing), the local file in {@code java.io.tmpdir}, warm in the
 * page cache.
 */
final class ShmDmaBenchmark {
    static final long[] SIZES = {8L << 20, 256L << 20};
    private static final int SAMPLE_STEP = 1 << 20;

    private ShmDmaBenchmark() {
    }

    static List<ResultRow> run(BenchOptions options) throws Exception {
        long max = SIZES[SIZES.length - 1];
        String anchor = "FileChannel.transferTo into the window file (JDK " + System.getProperty("java.version") + ")";
        List<ResultRow> rows = new ArrayList<>();
        Path local = Files.createTempFile("ferry-bench-pldm-", ".file");
        try (BenchLoop loop = new BenchLoop("ferry-bench-pldm-dma");
                ShmDmaEngine engine = new ShmDmaEngine(ShmWindow.create(windowDirectory(), max));
                FileChannel file = FileChannel.open(local, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel windowFile = FileChannel.open(engine.window().path(), StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            ByteBuffer window = engine.window().buffer();
            fillPattern(file, max);
            for (long size : SIZES) {
                List<Turns.Contender> toHost = List.of(
                        contender("ferry shm", () -> ferry(loop, engine, DmaRequest.toHost(file, 0, size, 0))),
                        contender("transferTo", () -> transferAll(file, windowFile, size)));
                for (Turns.Contender c : toHost) {
                    checkToHost(c, window, size);
                }
                double[] up = Turns.medianMibPerSecond(label(size) + " file -> host", toHost, options);
                rows.add(ResultRow.rate("shm DMA " + label(size) + " file -> host", "throughput", "MiB/s", round(up[0]),
                        anchor, round(up[1])));

                List<Turns.Contender> fromHost = List.of(
                        contender("ferry shm", () -> ferry(loop, engine, DmaRequest.fromHost(0, size, file, 0))),
                        contender("transferTo", () -> transferAll(windowFile, file, size)));
                for (Turns.Contender c : fromHost) {
                    checkFromHost(c, window, file, size);
                }
                double[] down = Turns.medianMibPerSecond(label(size) + " host -> file", fromHost, options);
                rows.add(ResultRow.rate("shm DMA " + label(size) + " host -> file", "throughput", "MiB/s",
                        round(down[0]), anchor, round(down[1])));
            }
            if (engine.openOperations() != 0) {
                throw new IllegalStateException("the shm engine still holds " + engine.openOperations() + " operations");
            }
        } finally {
            Files.deleteIfExists(local);
        }
        return rows;
    }

    /** One Ferry DMA: started on the loop, timed until its completion reaches the runner. */
    private static long ferry(BenchLoop loop, ShmDmaEngine engine, DmaRequest request) throws IOException {
        return loop.<Long>await(done -> engine.start(request, loop.center(), (op, status, bytes) -> {
            if (status == DmaStatus.SUCCESS) {
                done.complete(bytes);
            } else {
                done.completeExceptionally(new IOException("shm DMA failed: " + DmaStatus.describe(status)));
            }
        }));
    }

    /** The anchor: the kernel copies {@code length} bytes from {@code from}'s start to {@code to}'s start. */
    private static long transferAll(FileChannel from, FileChannel to, long length) throws IOException {
        to.position(0);
        long done = 0;
        while (done < length) {
            long n = from.transferTo(done, length - done, to);
            if (n <= 0) {
                throw new IOException("transferTo moved nothing at " + done + " of " + length);
            }
            done += n;
        }
        return done;
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
    private interface Job {
        long run() throws Exception;
    }

    /** Each long of the file holds its own offset: a misplaced or missing slice shows. */
    private static void fillPattern(FileChannel file, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(SAMPLE_STEP);
        for (long pos = 0; pos < size; pos += SAMPLE_STEP) {
            chunk.clear();
            for (int i = 0; i < SAMPLE_STEP; i += 8) {
                chunk.putLong(i, pos + i);
            }
            while (chunk.hasRemaining()) {
                file.write(chunk, pos + chunk.position());
            }
        }
        file.force(false);
    }

    private static void checkToHost(Turns.Contender c, ByteBuffer window, long size) throws Exception {
        for (long at = 0; at < size; at += SAMPLE_STEP) {
            window.putLong((int) (at + SAMPLE_STEP - 8), -1L);
            window.putLong((int) at, -1L);
        }
        c.runOnce();
        for (long at = 0; at < size; at += SAMPLE_STEP) {
            long last = at + SAMPLE_STEP - 8;
            if (window.getLong((int) at) != at || window.getLong((int) last) != last) {
                throw new IllegalStateException(c.label() + " file -> host: wrong bytes in the window near " + at);
            }
        }
    }

    private static void checkFromHost(Turns.Contender c, ByteBuffer window, FileChannel file, long size)
            throws Exception {
        ByteBuffer word = ByteBuffer.allocate(8);
        for (long at = 0; at < size; at += SAMPLE_STEP) {
            window.putLong((int) at, ~at); // the file holds at; the run must bring ~at over
        }
        c.runOnce();
        for (long at = 0; at < size; at += SAMPLE_STEP) {
            word.clear();
            while (word.hasRemaining()) {
                if (file.read(word, at + word.position()) < 0) {
                    throw new IllegalStateException(c.label() + " host -> file: the file ended at " + at);
                }
            }
            if (word.getLong(0) != ~at) {
                throw new IllegalStateException(c.label() + " host -> file: wrong bytes in the file near " + at);
            }
            window.putLong((int) at, at); // restore the pattern for the next contender and the timed runs
        }
        c.runOnce();
    }

    static Path windowDirectory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    static String label(long bytes) {
        return bytes >= (1 << 20) ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " B";
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String format(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
