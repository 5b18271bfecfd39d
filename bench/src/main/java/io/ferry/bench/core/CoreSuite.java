package io.ferry.bench.core;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.bench.BenchOptions;
import io.ferry.bench.BenchSuite;
import io.ferry.bench.ResultRow;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.nio.NioDriverFactory;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The {@code core} suite, side by side in one JVM:
 * <ol>
 *   <li>echo over 127.0.0.1, ping-pong (one message in flight per connection), 64 B and 4 KiB
 *       messages, 1 and 16 connections: throughput and round-trip p50/p99 of the posix stack
 *       on the epoll driver (main rows) and on the nio driver (extra rows) against Netty's epoll
 *       transport; one server and one client event-loop thread on each side;</li>
 *   <li>external-event dispatch from another thread: rate with a window of in-flight tasks, and
 *       the round trip of one task handed to an idle loop (queue, wake-up, dispatch), against
 *       Netty's {@code EpollEventLoop.execute()}.</li>
 * </ol>
 * The three implementations of each case are started together and take turns in measurement
 * windows (see {@link EchoBenchmark}), so that drift in the machine's speed hits all of them alike.
 *
 * <p>Runs on the runner's thread; every loop and socket it starts is stopped before it returns.
 */
public final class CoreSuite implements BenchSuite {
    static final int[] SIZES = {64, 4096};
    static final int[] CONNECTIONS = {1, 16};

    @Override
    public String name() {
        return "core";
    }

    @Override
    public String description() {
        return "posix stack echo and EventCenter dispatch vs Netty 4.1 epoll";
    }

    @Override
    public List<ResultRow> run(BenchOptions options) throws Exception {
        EventDriverFactory epoll = new EpollDriverFactory();
        EventDriverFactory nio = new NioDriverFactory();
        if (!epoll.isAvailable()) {
            throw new IllegalStateException("Ferry's epoll driver is not available here: " + epoll);
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available here", Epoll.unavailabilityCause());
        }
        String anchor = NettyEchoSystem.anchorName();
        List<ResultRow> main = new ArrayList<>();
        List<ResultRow> extra = new ArrayList<>();
        for (int size : SIZES) {
            for (int conns : CONNECTIONS) {
                String name = String.format(Locale.ROOT, "echo %s x %d conn%s", size(size), conns, conns == 1 ? "" : "s");
                List<Supplier<EchoSystem>> systems = List.of(() -> new FerryEchoSystem(epoll), NettyEchoSystem::new,
                        () -> new FerryEchoSystem(nio));
                List<EchoBenchmark.Figures> f = EchoBenchmark.measure(systems, size, conns, options);
                String[] labels = {"ferry/epoll", "netty/epoll", "ferry/nio"};
                for (int i = 0; i < labels.length; i++) {
                    EchoBenchmark.Figures x = f.get(i);
                    progress("%-22s %-12s %,10.0f msgs/s  p50 %7.1f  p99 %7.1f  mean %7.1f  max %9.1f us", name,
                            labels[i], x.messagesPerSecond(), x.p50Micros(), x.p99Micros(), x.meanMicros(), x.maxMicros());
                }
                echoRows(main, name, f.get(0), anchor, f.get(1));
                echoRows(extra, name + " [nio driver]", f.get(2), anchor, f.get(1));
            }
        }
        List<DispatchTarget> targets = new ArrayList<>();
        try {
            targets.add(DispatchTarget.ferry(epoll));
            targets.add(DispatchTarget.netty());
            targets.add(DispatchTarget.ferry(nio));
        } catch (IOException | RuntimeException e) {
            targets.forEach(DispatchTarget::close);
            throw e;
        }
        List<DispatchBenchmark.Figures> d = DispatchBenchmark.measure(targets, options.scaled(0.5));
        String[] labels = {"ferry/epoll", "netty/epoll", "ferry/nio"};
        for (int i = 0; i < labels.length; i++) {
            progress("%-22s %-12s %,10.0f events/s  wake-up round trip p50 %6.1f us", "external events", labels[i],
                    d.get(i).eventsPerSecond(), d.get(i).roundTripP50Micros());
        }
        String loopAnchor = anchor + " EventLoop.execute";
        dispatchRows(main, "external events", d.get(0), loopAnchor, d.get(1));
        dispatchRows(extra, "external events [nio driver]", d.get(2), loopAnchor, d.get(1));
        main.addAll(extra);
        return main;
    }

    private static void echoRows(List<ResultRow> rows, String name, EchoBenchmark.Figures ferry, String anchor,
            EchoBenchmark.Figures netty) {
        rows.add(ResultRow.rate(name, "throughput", "msgs/s", Math.rint(ferry.messagesPerSecond()), anchor,
                Math.rint(netty.messagesPerSecond())));
        rows.add(ResultRow.latency(name, "rtt p50", "us", round2(ferry.p50Micros()), anchor, round2(netty.p50Micros())));
        rows.add(ResultRow.latency(name, "rtt p99", "us", round2(ferry.p99Micros()), anchor, round2(netty.p99Micros())));
    }

    private static void dispatchRows(List<ResultRow> rows, String name, DispatchBenchmark.Figures ferry, String anchor,
            DispatchBenchmark.Figures netty) {
        rows.add(ResultRow.rate(name, "dispatch rate (" + DispatchBenchmark.WINDOW + " in flight)", "events/s",
                Math.rint(ferry.eventsPerSecond()), anchor, Math.rint(netty.eventsPerSecond())));
        rows.add(ResultRow.latency(name, "wake-up round trip p50 (idle loop)", "us", round2(ferry.roundTripP50Micros()), anchor,
                round2(netty.roundTripP50Micros())));
    }

    private static String size(int bytes) {
        return bytes >= 1024 && bytes % 1024 == 0 ? (bytes / 1024) + " KiB" : bytes + " B";
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void progress(String format, Object... args) {
        System.err.println("  " + String.format(Locale.ROOT, format, args));
    }
}
