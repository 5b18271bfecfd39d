package io.ferry.bench.shm;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Pins the calling thread to one CPU ({@code sched_setaffinity(0, ...)}, Linux). The suite pins
 * its two measuring threads — the harness thread here, the measured link's worker in the child —
 * to different CPUs, so that on a two-core machine they never share one (two spinning threads on
 * one CPU stall for a whole time slice, a sleeping peer for a wake-up). The same for every link.
 * Other threads (JIT, GC, Aeron's conductors, idle workers) are not pinned.
 *
 * <p>Any thread; affects only the calling thread (and threads it creates later).
 */
final class CpuAffinity {
    /** {@code -Dferry.bench.shm.pin=false} leaves every thread to the scheduler. */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("ferry.bench.shm.pin", "true"))
            && Runtime.getRuntime().availableProcessors() >= 2;
    /** The CPUs this JVM could use at start (before any pinning narrowed it). */
    private static final int CPUS = Math.min(64, Runtime.getRuntime().availableProcessors());

    private interface C extends Library {
        int sched_setaffinity(int pid, long cpusetsize, long[] mask);
    }

    private static volatile C c;

    private CpuAffinity() {
    }

    /** @return true if the calling thread now runs on {@code cpu} only; false when disabled or refused. */
    static boolean pinCurrentThread(int cpu) {
        if (!ENABLED || cpu < 0 || cpu >= 64) {
            return false;
        }
        try {
            C lib = c;
            if (lib == null) {
                lib = Native.load("c", C.class);
                c = lib;
            }
            return lib.sched_setaffinity(0, Long.BYTES, new long[] {1L << cpu}) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** Lets the calling thread run on every CPU again. */
    static void unpinCurrentThread() {
        if (!ENABLED) {
            return;
        }
        int n = CPUS;
        try {
            C lib = c;
            if (lib != null) {
                lib.sched_setaffinity(0, Long.BYTES, new long[] {n == 64 ? -1L : (1L << n) - 1});
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // stays pinned; harmless for the remaining suites, which set nothing
        }
    }
}
