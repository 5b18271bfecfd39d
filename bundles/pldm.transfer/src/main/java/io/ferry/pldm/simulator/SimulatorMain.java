package io.ferry.pldm.simulator;

import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.dma.ShmWindow;
import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.mctp.MctpDemuxClient;
import io.ferry.pldm.mctp.MctpFaultListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The terminus simulator as a program in its own JVM (plain class path with io.ferry.core and
 * io.ferry.unix): connects to the node's mctp-demux socket as a client, attaches the node's shm
 * window, and runs a script of operations, checking every answer. Exit code 0 when all passed,
 * else the number of the failed step (stderr says which).
 *
 * <pre>
 * java ... io.ferry.pldm.simulator.SimulatorMain SOCKET WINDOW_FILE WINDOW_BASE STEP...
 *   tid                                   GetTID answered SUCCESS
 *   write:TYPE:HANDLE:LENGTH:SEED         WriteFileByTypeFromMemory of a pattern (DMA)
 *   read:TYPE:HANDLE:LENGTH:SEED          ReadFileByTypeIntoMemory, data must match the pattern
 *   iwrite:TYPE:HANDLE:LENGTH:SEED        WriteFileByType inline
 *   iread:TYPE:HANDLE:LENGTH:SEED         ReadFileByType inline, data must match the pattern
 * </pre>
 * The pattern is byte {@code i} = {@code i * 31 + SEED + (i >>> 11)}. Every wait is bounded (30 s).
 */
public final class SimulatorMain {
    private static final long WAIT_SECONDS = 30;

    private SimulatorMain() {
    }

    /** The byte pattern the steps write and expect. */
    public static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 11));
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: SimulatorMain SOCKET WINDOW_FILE WINDOW_BASE STEP...");
            System.exit(64);
        }
        EventLoopWorker worker = new EventLoopWorker(0, "terminus", new EpollDriverFactory().create());
        worker.start();
        int failed = 0;
        try (ShmWindow window = ShmWindow.attach(Path.of(args[1]))) {
            long base = Long.parseLong(args[2]);
            SimulatorConfig config = SimulatorConfig.of(MctpConfig.LOCAL_EID_DEFAULT, base, window.size() - base);
            TerminusSimulator sim = new TerminusSimulator(config, window);
            MctpDemuxClient client = new MctpDemuxClient(MctpConfig.defaults().withSocketName(args[0]), sim,
                    MctpFaultListener.NONE);
            sim.start(client, worker.center());
            for (int step = 3; step < args.length && failed == 0; step++) {
                String error = run(sim, args[step]);
                if (error != null) {
                    System.err.println("simulator: step " + (step - 2) + " (" + args[step] + ") failed: " + error);
                    failed = step - 2;
                } else {
                    System.out.println("simulator: step " + (step - 2) + " (" + args[step] + ") ok");
                }
            }
            sim.close();
            client.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            worker.stop(10_000);
        }
        System.exit(failed);
    }

    private static String run(TerminusSimulator sim, String step) throws Exception {
        String[] f = step.split(":");
        if (f[0].equals("tid")) {
            int tid = sim.getTid().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return tid > 0 ? null : "tid " + tid;
        }
        int type = Integer.decode(f[1]);
        long handle = Long.decode(f[2]);
        int length = Integer.parseInt(f[3]);
        byte[] expected = pattern(length, Integer.parseInt(f[4]));
        TerminusSimulator.Result r;
        switch (f[0]) {
            case "write":
                r = sim.writeFileByType(type, handle, 0, expected).get(WAIT_SECONDS, TimeUnit.SECONDS);
                break;
            case "iwrite":
                r = sim.writeFileByTypeInline(type, handle, 0, expected).get(WAIT_SECONDS, TimeUnit.SECONDS);
                break;
            case "read":
                r = sim.readFileByType(type, handle, 0, length).get(WAIT_SECONDS, TimeUnit.SECONDS);
                break;
            case "iread":
                r = sim.readFileByTypeInline(type, handle, 0, length).get(WAIT_SECONDS, TimeUnit.SECONDS);
                break;
            default:
                return "unknown step";
        }
        if (r.completionCode() != CompletionCodes.SUCCESS || r.length() != length) {
            return r.toString();
        }
        if (f[0].endsWith("read") && !Arrays.equals(expected, r.data())) {
            return "data differs";
        }
        return null;
    }
}
