package io.ferry.bench.shm;

import io.ferry.api.net.Errno;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.unix.Unix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child's end of the Ferry links ({@code ferry ID SOCKET NAME blocking|busy}): the child is a
 * client of the harness's shm server (one {@link ShmClient} for all links) and connects to the
 * name the harness listens on. Called on the child's command thread; the stream it returns is
 * then used by the link's worker only.
 */
final class FerryChildLinks {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Wait of an idle worker: it re-checks whether its link became the measured one. */
    private static final long IDLE_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ACTIVE_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WRITE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static ShmClient client;

    private FerryChildLinks() {
    }

    static BenchChild.ChildStream open(String[] a, List<AutoCloseable> closeables) throws IOException {
        if (a.length != 5) {
            throw new IllegalArgumentException("usage: ferry ID SOCKET NAME blocking|busy");
        }
        if (client == null) {
            client = ShmClient.connect(Path.of(a[2]), TIMEOUT_NANOS);
            closeables.add(client);
        }
        ShmSocket socket = client.connect(a[3]);
        return new SocketStream(socket, a[4].equals("busy"));
    }

    /** A {@link ShmSocket} as the child's worker uses it. */
    static final class SocketStream implements BenchChild.ChildStream {
        private final ShmSocket socket;
        private final boolean busy;
        private boolean spinning;

        SocketStream(ShmSocket socket, boolean busy) {
            this.socket = socket;
            this.busy = busy;
        }

        @Override
        public int read(ByteBuffer dst, boolean active) throws IOException {
            // Busy-poll only while measured; idle, it sleeps on its eventfd like a blocking socket.
            boolean spin = busy && active;
            if (spin != spinning) {
                spinning = spin;
                socket.setBusyPoll(spin);
            }
            int n = socket.read(dst, spin ? ACTIVE_READ_NANOS : IDLE_READ_NANOS);
            if (n == -Errno.EAGAIN) {
                return 0;
            }
            if (n == 0) {
                return -1;
            }
            if (n < 0) {
                throw new IOException("ferry read: " + Unix.describe(-n));
            }
            return n;
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            int n = socket.write(src, WRITE_NANOS);
            if (n < 0 || src.hasRemaining()) {
                throw new IOException("ferry write returned " + n);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
