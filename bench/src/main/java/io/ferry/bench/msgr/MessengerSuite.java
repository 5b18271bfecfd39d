package io.ferry.bench.msgr;

import io.ferry.bench.BenchOptions;
import io.ferry.bench.BenchSuite;
import io.ferry.bench.ResultRow;
import io.ferry.core.epoll.EpollDriverFactory;
import io.netty.channel.epoll.Epoll;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The {@code messenger} suite: ping-pong (one message in flight per connection) over 127.0.0.1,
 * 64 B and 4 KiB payloads, 1 and 16 connections, crc32c on: Ferry's messenger (msgr v1,
 * lossless_peer, one server and one client posix worker on epoll) against Netty 4.1 epoll carrying
 * the same payloads as length-prefixed frames with a crc32c trailer (one server and one client
 * loop). Rows: messages/s, round-trip p50 and p99 (medians over the measured windows; the two
 * systems take turns, see {@link Turns}).
 *
 * <p>Runs on the runner's thread; every loop and socket it starts is stopped before it returns.
 */
public final class MessengerSuite implements BenchSuite {
    static final int[] SIZES = {64, 4096};
    static final int[] CONNECTIONS = {1, 16};

    @Override
    public String name() {
        return "messenger";
    }

    @Override
    public String description() {
        return "Ferry messenger (msgr v1, lossless_peer, crc32c) vs Netty 4.1 epoll length-prefixed frames + crc32c";
    }

    @Override
    public List<ResultRow> run(BenchOptions options) throws Exception {
        if (!new EpollDriverFactory().isAvailable()) {
            throw new IllegalStateException("Ferry's epoll driver is not available here");
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available here", Epoll.unavailabilityCause());
        }
        String anchor = NettyFrameSystem.anchorName();
        HeapWarmUp.touchYoungGeneration();
        List<ResultRow> rows = new ArrayList<>();
        for (int size : selected("ferry.bench.msgr.sizes", SIZES)) {
            for (int conns : selected("ferry.bench.msgr.conns", CONNECTIONS)) {
                String name = String.format(Locale.ROOT, "msgr %s x %d conn%s%s", size >= 1024 ? (size / 1024) + " KiB" : size + " B",
                        conns, conns == 1 ? "" : "s", pollNanos() > 0 ? " [poll " + pollNanos() / 1000 + " us]" : "");
                List<Supplier<PingPongSystem>> systems = List.of(FerryMessengerSystem::new, NettyFrameSystem::new);
                List<Turns.Figures> f = Turns.measure(systems, size, conns, options);
                String[] labels = {"ferry/msgr", "netty/frames"};
                for (int i = 0; i < labels.length; i++) {
                    Turns.Figures x = f.get(i);
                    System.err.printf(Locale.ROOT, "  %-22s %-13s %,10.0f msgs/s  p50 %7.1f  p99 %7.1f us  cpu %5.2f us/msg%n",
                            name, labels[i], x.messagesPerSecond(), x.p50Micros(), x.p99Micros(), x.cpuMicrosPerMessage());
                }
                Turns.Figures ferry = f.get(0);
                Turns.Figures netty = f.get(1);
                rows.add(ResultRow.rate(name, "throughput", "msgs/s", Math.rint(ferry.messagesPerSecond()), anchor,
                        Math.rint(netty.messagesPerSecond())));
                rows.add(ResultRow.latency(name, "rtt p50", "us", round2(ferry.p50Micros()), anchor, round2(netty.p50Micros())));
                rows.add(ResultRow.latency(name, "rtt p99", "us", round2(ferry.p99Micros()), anchor, round2(netty.p99Micros())));
            }
        }
        return rows;
    }

    /**
     * @return the poll-before-sleep limit both systems' loops get ({@code -Dferry.bench.msgr.pollMicros},
     *     default 0: they sleep at once, as both do by default)
     */
    static long pollNanos() {
        return Long.getLong("ferry.bench.msgr.pollMicros", 0) * 1000;
    }

    /**
     * The values of a comma-separated system property (for focused runs while profiling, e.g.
     * {@code -Dferry.bench.msgr.sizes=64 -Dferry.bench.msgr.conns=1}), or {@code all} if unset.
     */
    static int[] selected(String property, int[] all) {
        String v = System.getProperty(property, "").trim();
        if (v.isEmpty()) {
            return all;
        }
        return Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
