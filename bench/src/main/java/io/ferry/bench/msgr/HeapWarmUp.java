package io.ferry.bench.msgr;

import java.util.Locale;

/**
 * Touches the JVM's young generation before anything is measured. A fresh JVM's heap pages are
 * mapped but untouched: the first allocation into each 4 KiB page takes a page fault (about
 * 1-2 us in this VM), and the young generation only grows to its full size over the first
 * collections. Without this, whichever system allocates first pays those faults inside its
 * measured windows (the first case of a run lost about 1 us per round trip to them). Allocating
 * short-lived arrays worth three heaps lets the collector grow the young generation and touch its
 * pages once, as {@code -XX:+AlwaysPreTouch} would; both systems then run on a warm heap.
 *
 * <p>Harness thread; about a second on two cores.
 */
final class HeapWarmUp {
    private static final int CHUNK = 16 * 1024;
    /** Written so that the JIT cannot drop the allocations. */
    static volatile long sink;

    private HeapWarmUp() {
    }

    static void touchYoungGeneration() {
        long start = System.nanoTime();
        long bytes = 3 * Math.min(Runtime.getRuntime().maxMemory(), 8L << 30);
        long sum = 0;
        for (long done = 0; done < bytes; done += CHUNK) {
            byte[] b = new byte[CHUNK];
            b[(int) (done & (CHUNK - 1))] = (byte) done;
            sum += b[CHUNK - 1] + b.length;
        }
        sink = sum;
        System.err.printf(Locale.ROOT, "  heap warm-up: %d MiB allocated in %d ms%n", bytes >> 20,
                (System.nanoTime() - start) / 1_000_000);
    }
}
