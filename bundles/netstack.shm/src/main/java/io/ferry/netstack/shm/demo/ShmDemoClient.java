package io.ferry.netstack.shm.demo;

import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The demo's client process (plain JVM, no OSGi): connects to the node's shm server, sends
 * {@code messages} messages of {@code size} bytes to {@code name} one at a time, checks that each
 * comes back unchanged, and prints one line: {@code OK bytes=<sent+received> p50us=<..> p99us=<..>}
 * (exit 0), or {@code FAIL <reason>} (exit 1). Every wait is bounded by 10 s.
 *
 * <p>Usage: {@code java -cp <jar> io.ferry.netstack.shm.demo.ShmDemoClient <socketPath> <name> <messages> <size>}
 */
public final class ShmDemoClient {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    private ShmDemoClient() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(run(Path.of(args[0]), args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            System.exit(0);
        } catch (Exception | Error e) {
            System.out.println("FAIL " + e);
            System.exit(1);
        }
    }

    static String run(Path socketPath, String name, int messages, int size) throws Exception {
        long[] rtt = new long[messages];
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(size);
        long bytes = 0;
        try (ShmClient client = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmSocket socket = client.connect(name);
            try {
                for (int m = 0; m < messages; m++) {
                    out.clear();
                    for (int i = 0; i < size; i++) {
                        out.put((byte) (m * 31 + i));
                    }
                    out.flip();
                    long start = System.nanoTime();
                    while (out.hasRemaining()) {
                        int n = socket.write(out, TIMEOUT);
                        if (n <= 0) {
                            throw new IllegalStateException("write of message " + m + " returned " + n);
                        }
                    }
                    in.clear();
                    while (in.hasRemaining()) {
                        int n = socket.read(in, TIMEOUT);
                        if (n <= 0) {
                            throw new IllegalStateException("read of message " + m + " returned " + n);
                        }
                    }
                    rtt[m] = System.nanoTime() - start;
                    in.flip();
                    for (int i = 0; i < size; i++) {
                        if (in.get(i) != (byte) (m * 31 + i)) {
                            throw new IllegalStateException("message " + m + " byte " + i + " came back changed");
                        }
                    }
                    bytes += 2L * size;
                }
            } finally {
                socket.close();
            }
        }
        Arrays.sort(rtt);
        return String.format("OK bytes=%d p50us=%.1f p99us=%.1f", bytes, rtt[messages / 2] / 1000.0,
                rtt[Math.min(messages - 1, (int) (messages * 0.99))] / 1000.0);
    }
}
