package io.ferry.bench;

/**
 * One measured comparison: Ferry's value and the anchor's, for one metric of one benchmark.
 * Immutable; any thread.
 *
 * @param name what was measured, such as {@code "echo 64 B, 16 conns"}
 * @param metric which figure, such as {@code "throughput"} or {@code "rtt p99"}
 * @param unit the unit of both values, such as {@code "msgs/s"} or {@code "us"}
 * @param ferry Ferry's value
 * @param anchor the anchor's name and version, such as {@code "netty 4.1.118.Final epoll"}
 * @param anchorValue the anchor's value
 * @param higherIsBetter true for rates, false for latencies
 */
public record ResultRow(String name, String metric, String unit, double ferry, String anchor, double anchorValue,
        boolean higherIsBetter) {

    /** @return a rate row (higher is better). */
    public static ResultRow rate(String name, String metric, String unit, double ferry, String anchor, double anchorValue) {
        return new ResultRow(name, metric, unit, ferry, anchor, anchorValue, true);
    }

    /** @return a latency row (lower is better). */
    public static ResultRow latency(String name, String metric, String unit, double ferry, String anchor,
            double anchorValue) {
        return new ResultRow(name, metric, unit, ferry, anchor, anchorValue, false);
    }

    /** @return above 1 when Ferry is better: ferry/anchor for rates, anchor/ferry for latencies; NaN if undefined. */
    public double ratio() {
        double num = higherIsBetter ? ferry : anchorValue;
        double den = higherIsBetter ? anchorValue : ferry;
        return den > 0 ? num / den : Double.NaN;
    }
}
