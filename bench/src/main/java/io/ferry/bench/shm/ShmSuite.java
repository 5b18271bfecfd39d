package io.ferry.bench.shm;

import io.ferry.bench.BenchOptions;
import io.ferry.bench.BenchSuite;
import io.ferry.bench.ResultRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code shm} suite: two JVM processes (this one and a {@link BenchChild}), five links
 * between them, all open at once and taking turns (see {@link Turns}):
 * <ul>
 *   <li>Ferry shm, blocking mode (the ends spin briefly, then sleep on their eventfd);</li>
 *   <li>Ferry shm, busy-poll mode (the ends spin on the ring, no eventfd at all);</li>
 *   <li>kernel TCP over 127.0.0.1, {@code TCP_NODELAY}, blocking JDK socket channels;</li>
 *   <li>a Unix domain stream socket, blocking JDK socket channels;</li>
 *   <li>Aeron IPC with an embedded media driver (shared threading mode), busy-polling.</li>
 * </ul>
 * For 64 B and 4 KiB messages: one-way streaming throughput (msgs/s and GB/s, the far end
 * consuming in 64 KiB reads) and ping-pong round trips (p50, p99). Each Ferry mode gets a row
 * against each anchor; {@link #targets} checks the goals of issue 4.
 *
 * <p>Runs on the runner's thread; the child JVM, the media driver and every socket are closed
 * before it returns, also on failure.
 */
public final class ShmSuite implements BenchSuite {
    static final int[] SIZES = {64, 4096};
    /**
     * {@code -Dferry.bench.shm.focus=pingpong64} (or {@code stream64}, {@code pingpong4096},
     * {@code stream4096}, comma-separated) measures only those cases, for quick comparisons while
     * tuning; rows and targets then cover only them. Not for recorded results (use
     * {@code --results DIR} to keep {@code bench/results/shm.json}).
     */
    static final String FOCUS = System.getProperty("ferry.bench.shm.focus", "");

    @Override
    public String name() {
        return "shm";
    }

    @Override
    public String description() {
        return "shm stack (blocking, busy-poll) between two JVMs vs TCP loopback, Unix socket, Aeron IPC";
    }

    @Override
    public List<ResultRow> run(BenchOptions options) throws Exception {
        Path scratch = Files.createTempDirectory("ferry-bench-shm-");
        List<Link> links = new ArrayList<>();
        FerryLinks ferry = null;
        List<String> childOptions = new ArrayList<>(List.of("-Xms256m", "-Xmx256m", "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED"));
        // Diagnostics only (e.g. -XX:+UnlockDiagnosticVMOptions;-XX:+DumpPerfMapAtExit for perf):
        // separated by ';' or spaces (bench/run splits FERRY_BENCH_JAVA_OPTS at spaces).
        String extra = System.getProperty("ferry.bench.shm.childJvmOptions", "").trim();
        if (!extra.isEmpty()) {
            childOptions.addAll(List.of(extra.split("[\\s;]+")));
        }
        ChildProcess child = ChildProcess.start(childOptions);
        try {
            ferry = FerryLinks.open(child, scratch);
            links.add(ferry.blocking());
            links.add(ferry.busyPoll());
            links.add(SocketLink.tcp(child, "tcp"));
            links.add(SocketLink.unix(child, "uds", scratch.resolve("bench.sock")));
            links.add(AeronLink.open(child, "aeron"));
            progress("child pid %d; links: %s; %s", child.pid(), labels(links), ferry.description());
            progress("load average at start: %s (a busy machine moves the spinning links most)", loadAverage());
            progress("shared-memory links measured with the harness thread on CPU 0 and the child's worker on CPU %d: %s",
                    BenchChild.MEASURED_CPU, CpuAffinity.ENABLED ? "yes" : "no (-Dferry.bench.shm.pin=false or one CPU)");
            Turns turns = new Turns(child);
            // Three times the windows, a third as long each: the same time, but the links take turns
            // more often, so a burst of other work on this small machine falls on all of them alike.
            BenchOptions windows = new BenchOptions(options.warmupMillis(), options.iterations() * 3,
                    Math.max(1, options.iterationMillis() / 3));
            List<ResultRow> rows = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            for (int size : SIZES) {
                if (!focused("stream" + size) && !focused("pingpong" + size)) {
                    continue;
                }
                List<Turns.Figures> stream = focused("stream" + size)
                        ? turns.measure(links, size, Turns.Kind.STREAM, windows) : unmeasured(links);
                for (int i = 0; i < links.size() && focused("stream" + size); i++) {
                    Turns.Figures f = stream.get(i);
                    progress("stream %-6s %-22s %,12.0f msgs/s %7.3f GB/s", size(size), links.get(i).label(),
                            f.messagesPerSecond(), f.gigabytesPerSecond(size));
                }
                List<Turns.Figures> pp = focused("pingpong" + size)
                        ? turns.measure(links, size, Turns.Kind.PING_PONG, windows.scaled(0.5)) : unmeasured(links);
                for (int i = 0; i < links.size() && focused("pingpong" + size); i++) {
                    Turns.Figures f = pp.get(i);
                    progress("ping-pong %-6s %-19s p50 %8.2f us  p99 %8.2f us  max %9.1f us  (%,.0f round trips/s)",
                            size(size), links.get(i).label(), f.p50Micros(), f.p99Micros(), f.maxMicros(),
                            f.messagesPerSecond());
                }
                rows(rows, size, links, stream, pp);
                targets(targets, size, stream, pp);
            }
            progress("load average at end: %s", loadAverage());
            System.out.println("== bench shm: targets of issue 4 (medians)");
            targets.forEach(t -> System.out.println("  " + t));
            return rows;
        } finally {
            CpuAffinity.unpinCurrentThread();
            child.close();
            for (Link l : links) {
                if (!(l instanceof FerryLink)) {
                    l.close();
                }
            }
            if (ferry != null) {
                ferry.close();
            }
            deleteTree(scratch);
        }
    }

    private static boolean focused(String measurement) {
        return FOCUS.isEmpty() || java.util.Arrays.asList(FOCUS.split(",")).contains(measurement);
    }

    /** Figures for a case left out by {@link #FOCUS}: NaN, so its rows and targets say so. */
    private static List<Turns.Figures> unmeasured(List<Link> links) {
        List<Turns.Figures> none = new ArrayList<>();
        links.forEach(l -> none.add(new Turns.Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
        return none;
    }

    /** Link order in every list: 0 ferry blocking, 1 ferry busy-poll, 2 tcp, 3 uds, 4 aeron. */
    private static final int BLOCKING = 0;
    private static final int BUSY = 1;
    private static final int TCP = 2;
    private static final int AERON = 4;

    private static void rows(List<ResultRow> rows, int size, List<Link> links, List<Turns.Figures> stream,
            List<Turns.Figures> pp) {
        String[] anchors = {"tcp loopback (kernel, TCP_NODELAY)", "unix stream socket (kernel)", AeronLink.anchorName()};
        for (int mode = BLOCKING; mode <= BUSY; mode++) {
            String suffix = mode == BLOCKING ? "shm blocking" : "shm busy-poll";
            Turns.Figures fs = stream.get(mode);
            Turns.Figures fp = pp.get(mode);
            for (int a = 0; a < anchors.length; a++) {
                Turns.Figures as = stream.get(TCP + a);
                Turns.Figures ap = pp.get(TCP + a);
                String streamName = "stream " + size(size) + ", " + suffix;
                String ppName = "ping-pong " + size(size) + ", " + suffix;
                rows.add(ResultRow.rate(streamName, "throughput", "msgs/s", Math.rint(fs.messagesPerSecond()), anchors[a],
                        Math.rint(as.messagesPerSecond())));
                rows.add(ResultRow.rate(streamName, "throughput", "GB/s", round3(fs.gigabytesPerSecond(size)), anchors[a],
                        round3(as.gigabytesPerSecond(size))));
                rows.add(ResultRow.latency(ppName, "rtt p50", "us", round2(fp.p50Micros()), anchors[a], round2(ap.p50Micros())));
                rows.add(ResultRow.latency(ppName, "rtt p99", "us", round2(fp.p99Micros()), anchors[a], round2(ap.p99Micros())));
            }
        }
    }

    /** The goals of issue 4, each with its measured value. */
    private static void targets(List<String> out, int size, List<Turns.Figures> stream, List<Turns.Figures> pp) {
        double blockTcp = stream.get(BLOCKING).messagesPerSecond() / stream.get(TCP).messagesPerSecond();
        double busyTcp = stream.get(BUSY).messagesPerSecond() / stream.get(TCP).messagesPerSecond();
        double blockAeron = stream.get(BLOCKING).messagesPerSecond() / stream.get(AERON).messagesPerSecond();
        double busyAeron = stream.get(BUSY).messagesPerSecond() / stream.get(AERON).messagesPerSecond();
        if (size == 64) {
            out.add(target(">= 20x TCP msgs/s at 64 B", blockTcp >= 20 || busyTcp >= 20,
                    "blocking %.1fx, busy-poll %.1fx", blockTcp, busyTcp));
        } else {
            out.add(target(">= 3x TCP bytes/s at 4 KiB", blockTcp >= 3 || busyTcp >= 3,
                    "blocking %.1fx, busy-poll %.1fx", blockTcp, busyTcp));
            out.add(target(">= 1.0x Aeron IPC at 4 KiB", blockAeron >= 1 || busyAeron >= 1,
                    "blocking %.2fx, busy-poll %.2fx", blockAeron, busyAeron));
        }
        double busyP50 = pp.get(BUSY).p50Micros();
        double aeronP50 = pp.get(AERON).p50Micros();
        out.add(target("busy-poll RTT p50 within 2x Aeron's at " + size(size), busyP50 <= 2 * aeronP50,
                "%.2f us vs %.2f us (%.2fx)", busyP50, aeronP50, busyP50 / aeronP50));
        double blockingP50 = pp.get(BLOCKING).p50Micros();
        out.add(target("blocking RTT p50 under 10 us at " + size(size), blockingP50 < 10, "%.2f us", blockingP50));
    }

    private static String target(String goal, boolean met, String format, Object... args) {
        return String.format(Locale.ROOT, "%-42s %-4s %s", goal, met ? "met" : "MISS", String.format(Locale.ROOT, format, args));
    }

    private static String labels(List<Link> links) {
        List<String> l = new ArrayList<>();
        links.forEach(x -> l.add(x.label()));
        return String.join(", ", l);
    }

    static String size(int bytes) {
        return bytes >= 1024 && bytes % 1024 == 0 ? (bytes / 1024) + " KiB" : bytes + " B";
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void progress(String format, Object... args) {
        System.err.println("  " + String.format(Locale.ROOT, format, args));
    }
}
