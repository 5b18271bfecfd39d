package io.ferry.bench.pldm;

import io.ferry.bench.BenchOptions;
import io.ferry.bench.ResultRow;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The responder's latency for a small request while it moves files: one terminus (on a host loop
 * of its own) sends GetTID
 * requests one after the other (the next as soon as the answer arrives, from the host loop) and
 * records each round trip; meanwhile {@value #TERMINI} other termini keep {@value #IN_FLIGHT} DMA
 * transfers of {@value #TRANSFER_MIB} MiB in flight (half reads, half writes; a lane starts its
 * next transfer when one ends). The anchor is the same responder with nothing in flight. Windows
 * with and without load take turns; p50 and p99 are medians over the windows.
 */
final class ResponderLatencyBenchmark {
    static final int TERMINI = 4;
    static final int IN_FLIGHT = 64;
    static final int TRANSFER_MIB = 1;
    static final int TRANSFER = TRANSFER_MIB << 20;
    static final String ANCHOR = "same responder, idle (0 transfers in flight)";

    private ResponderLatencyBenchmark() {
    }

    /** What one window measured. */
    record Window(double p50Micros, double p99Micros, long pings, long transfers, double meanInFlight) {
    }

    static List<ResultRow> run(BenchOptions options) throws Exception {
        int lanesPerTerminus = IN_FLIGHT / TERMINI;
        long region = (long) lanesPerTerminus * TRANSFER + (1 << 20);
        try (EngineRig rig = new EngineRig(TERMINI * region + (2 << 20))) {
            List<TerminusSimulator> load = new ArrayList<>();
            for (int t = 0; t < TERMINI; t++) {
                load.add(rig.terminus(region));
            }
            // The pinger has a loop of its own: what is measured is the responder, not the load
            // termini's copies between host memory and their byte arrays.
            TerminusSimulator pinger = rig.terminus(1 << 20, rig.quiet);
            for (int lane = 0; lane < IN_FLIGHT; lane++) {
                rig.file(lane, TRANSFER);
            }
            byte[] payload = new byte[TRANSFER];

            window(rig, pinger, load, payload, false, options.warmupMillis());
            window(rig, pinger, load, payload, true, options.warmupMillis());
            int n = options.iterations();
            double[] idle50 = new double[n];
            double[] idle99 = new double[n];
            double[] busy50 = new double[n];
            double[] busy99 = new double[n];
            long pings = 0;
            long transfers = 0;
            double inFlight = 0;
            for (int it = 0; it < n; it++) {
                for (int k = 0; k < 2; k++) {
                    boolean loaded = (it + k) % 2 == 1;
                    Window w = window(rig, pinger, load, payload, loaded, options.iterationMillis());
                    if (loaded) {
                        busy50[it] = w.p50Micros();
                        busy99[it] = w.p99Micros();
                        pings += w.pings();
                        transfers += w.transfers();
                        inFlight += w.meanInFlight() / n;
                    } else {
                        idle50[it] = w.p50Micros();
                        idle99[it] = w.p99Micros();
                    }
                }
            }
            double b50 = Turns.median(busy50);
            double b99 = Turns.median(busy99);
            double i50 = Turns.median(idle50);
            double i99 = Turns.median(idle99);
            System.err.printf(Locale.ROOT,
                    "  GetTID: loaded p50 %.1f us p99 %.1f us (%d pings, %d transfers of %d MiB done, %.1f in flight on average at the pings), idle p50 %.1f us p99 %.1f us%n",
                    b50, b99, pings, transfers, TRANSFER_MIB, inFlight, i50, i99);
            if (rig.engine.counters().failed() != 0 || rig.engine.counters().timedOut() != 0) {
                throw new IllegalStateException("transfers failed during the benchmark: " + rig.engine.counters());
            }
            // Named for what the load offers (64 lanes, each starting its next transfer when one
            // ends); the engine's own count at the pings is printed above (lower: between two
            // transfers a lane's host side copies its data).
            String name = "GetTID under " + IN_FLIGHT + " DMA lanes of " + TRANSFER_MIB + " MiB";
            return List.of(
                    ResultRow.latency(name, "responder p50", "us", round2(b50), ANCHOR, round2(i50)),
                    ResultRow.latency(name, "responder p99", "us", round2(b99), ANCHOR, round2(i99)));
        }
    }

    /** One window: pings for {@code millis}, with or without the transfer load. */
    private static Window window(EngineRig rig, TerminusSimulator pinger, List<TerminusSimulator> load, byte[] payload,
            boolean loaded, long millis) throws Exception {
        AtomicInteger lanesRunning = new AtomicInteger();
        AtomicLong transfersDone = new AtomicLong();
        CompletableFuture<Void> lanesStopped = new CompletableFuture<>();
        AtomicBoolean stop = new AtomicBoolean();
        if (loaded) {
            int lanesPerTerminus = IN_FLIGHT / load.size();
            lanesRunning.set(IN_FLIGHT);
            for (int lane = 0; lane < IN_FLIGHT; lane++) {
                lane(load.get(lane / lanesPerTerminus), lane, payload, stop::get, transfersDone, lanesRunning,
                        lanesStopped);
            }
            // Let the lanes fill the engine before measuring.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (rig.engine.inFlight() < IN_FLIGHT && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        } else {
            lanesStopped.complete(null);
        }
        Histogram histogram = new Histogram(60_000_000_000L, 3);
        long[] inFlightSum = {0};
        long end = System.nanoTime() + millis * 1_000_000L;
        CompletableFuture<Long> pings = new CompletableFuture<>();
        ping(rig, pinger, histogram, inFlightSum, end, 0, pings);
        long count = EngineRig.await(pings);
        stop.set(true);
        EngineRig.await(lanesStopped);
        return new Window(histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0, count,
                transfersDone.get(), count == 0 ? 0 : (double) inFlightSum[0] / count);
    }

    /** GetTID after GetTID on the host loop until {@code end}; the histogram is written on that loop only. */
    private static void ping(EngineRig rig, TerminusSimulator pinger, Histogram h, long[] inFlightSum, long end, long count,
            CompletableFuture<Long> done) {
        long sent = System.nanoTime();
        pinger.getTid().whenComplete((tid, t) -> {
            long now = System.nanoTime();
            if (t != null) {
                done.completeExceptionally(t);
                return;
            }
            h.recordValue(Math.max(1, now - sent));
            inFlightSum[0] += rig.engine.inFlight();
            if (now >= end) {
                done.complete(count + 1);
            } else {
                ping(rig, pinger, h, inFlightSum, end, count + 1, done);
            }
        });
    }

    /** One lane: a DMA transfer after another (even lanes read, odd lanes write) until told to stop. */
    private static void lane(TerminusSimulator sim, int lane, byte[] payload, java.util.function.BooleanSupplier stop,
            AtomicLong done, AtomicInteger running, CompletableFuture<Void> allStopped) {
        CompletableFuture<TerminusSimulator.Result> f = lane % 2 == 0
                ? sim.readFileByType(BenchFileHandler.TYPE, lane, 0, TRANSFER)
                : sim.writeFileByType(BenchFileHandler.TYPE, 1000 + lane, 0, payload);
        f.whenComplete((r, t) -> {
            if (t != null || !r.ok()) {
                allStopped.completeExceptionally(t != null ? t : new IllegalStateException("lane " + lane + ": " + r));
                return;
            }
            done.incrementAndGet();
            if (stop.getAsBoolean()) {
                if (running.decrementAndGet() == 0) {
                    allStopped.complete(null);
                }
            } else {
                lane(sim, lane, payload, stop, done, running, allStopped);
            }
        });
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
