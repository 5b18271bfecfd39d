package io.ferry.bench.pldm;

import io.ferry.bench.BenchOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs several ways of doing the same job in turns, as the core suite does: each gets a warm-up,
 * then every iteration gives each one window (in an order rotated per iteration) in which it repeats
 * its job back to back; the figure is the <b>median over the windows</b> of bytes per second. Slow
 * drift of the machine thus falls on all sides alike. Runs on the caller's thread.
 */
final class Turns {
    /** One way of doing the job. */
    interface Contender {
        String label();

        /** Does the job once, completely (waits for it), and returns the bytes it moved. */
        long runOnce() throws Exception;
    }

    private Turns() {
    }

    /** @return per contender, in the order given, the median rate in MiB/s over the windows. */
    static double[] medianMibPerSecond(String caseName, List<Contender> contenders, BenchOptions options)
            throws Exception {
        int n = contenders.size();
        for (Contender c : contenders) {
            window(c, options.warmupMillis());
        }
        double[][] rates = new double[n][options.iterations()];
        for (int it = 0; it < options.iterations(); it++) {
            for (int k = 0; k < n; k++) {
                int i = (it + k) % n;
                rates[i][it] = window(contenders.get(i), options.iterationMillis());
            }
        }
        double[] medians = new double[n];
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            medians[i] = median(rates[i]);
            parts.add(String.format(Locale.ROOT, "%s %,.0f MiB/s", contenders.get(i).label(), medians[i]));
        }
        System.err.println("  " + caseName + ": " + String.join(", ", parts));
        return medians;
    }

    /** Repeats the job until {@code millis} have passed (at least once); @return MiB/s. */
    private static double window(Contender c, long millis) throws Exception {
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + millis * 1_000_000L;
        long now;
        do {
            bytes += c.runOnce();
            now = System.nanoTime();
        } while (now < end);
        return bytes / (1024.0 * 1024.0) / ((now - start) / 1e9);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
