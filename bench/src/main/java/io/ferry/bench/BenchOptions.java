package io.ferry.bench;

/**
 * How long suites measure. Each measurement runs a warm-up, then {@code iterations} measured
 * iterations, and reports the median of the iterations. Immutable; any thread.
 *
 * @param warmupMillis warm-up before the first measured iteration
 * @param iterations measured iterations, at least 1
 * @param iterationMillis length of one measured iteration
 */
public record BenchOptions(long warmupMillis, int iterations, long iterationMillis) {
    /** The full run: about two and a half minutes for the core suite on two cores. */
    public static final BenchOptions FULL = new BenchOptions(2_000, 7, 1_000);
    /** A smoke run that checks the suites work; its numbers are not meant to be quoted. */
    public static final BenchOptions QUICK = new BenchOptions(200, 3, 200);

    public BenchOptions {
        if (warmupMillis < 0 || iterations < 1 || iterationMillis < 1) {
            throw new IllegalArgumentException("bad bench options " + warmupMillis + "/" + iterations + "/" + iterationMillis);
        }
    }

    /** @return these options with warm-up and iteration scaled by {@code factor} (for cheaper measurements). */
    public BenchOptions scaled(double factor) {
        return new BenchOptions(Math.round(warmupMillis * factor), iterations, Math.max(1, Math.round(iterationMillis * factor)));
    }
}
