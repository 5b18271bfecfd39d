package io.ferry.bench.shm;

import io.ferry.netstack.shm.client.ShmSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The harness's end of a Ferry shm connection ({@link ShmSocket} of the client library): one
 * blocking {@code write} per message (a copy into the ring, an eventfd write only when the
 * child's end sleeps) and blocking {@code read}s for answers, each bounded by 10 s. In blocking
 * mode the socket spins briefly, then sleeps on its eventfd; in busy-poll mode it spins on the
 * ring and the child never rings it.
 */
final class FerryLink implements Link {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String id;
    private final String label;
    private final ShmSocket socket;

    FerryLink(String id, String label, ShmSocket socket, boolean busyPoll) {
        this.id = id;
        this.label = label;
        this.socket = socket;
        socket.setTimeoutNanos(TIMEOUT_NANOS);
        socket.setBusyPoll(busyPoll);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean pinned() {
        return true;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        int n = socket.write(message);
        if (n < 0 || message.hasRemaining()) {
            throw new IOException(label + ": write returned " + n + " with " + message.remaining() + " bytes unsent");
        }
    }

    @Override
    public void awaitAnswer(ByteBuffer scratch) throws IOException {
        while (scratch.hasRemaining()) {
            int n = socket.read(scratch);
            if (n <= 0) {
                throw new IOException(label + ": read returned " + n + (n == 0 ? " (end of stream)" : ""));
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
