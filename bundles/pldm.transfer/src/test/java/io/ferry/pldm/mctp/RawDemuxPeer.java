package io.ferry.pldm.mctp;

import io.ferry.api.net.Errno;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A libpldm-style mctp-demux peer written from the wire description alone (no Ferry transport
 * code): raw datagrams on an abstract SOCK_SEQPACKET socket, bounded waits. Used by the tests on
 * the test thread and by the child JVM. Not thread-safe.
 */
final class RawDemuxPeer implements AutoCloseable {
    static final long TIMEOUT_MILLIS = 10_000;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final UnixSeqpacketSocket socket;
    private final ByteBuffer in = ByteBuffer.allocate(70 * 1024);

    private RawDemuxPeer(UnixSeqpacketSocket socket) {
        this.socket = socket;
    }

    /** A socket name no other test or run uses at the same time. */
    static String uniqueName(String what) {
        return "ferry-mctp-test-" + ProcessHandle.current().pid() + "-" + what + "-" + NAMES.incrementAndGet();
    }

    /** Connects; sends nothing yet. */
    static RawDemuxPeer connect(String name) throws IOException {
        return new RawDemuxPeer(UnixSeqpacketSocket.connect(UnixAddress.abstractName(name)));
    }

    /** Connects and registers for {@code type} (1 = PLDM). */
    static RawDemuxPeer register(String name, int type) throws IOException {
        RawDemuxPeer peer = connect(name);
        peer.sendRaw(type);
        return peer;
    }

    void sendRaw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        sendRaw(b);
    }

    void sendRaw(byte[] datagram) {
        int rc = socket.send(ByteBuffer.wrap(datagram));
        if (rc != datagram.length) {
            throw new IllegalStateException("send returned " + rc);
        }
    }

    /** Sends {@code [eid][0x01][message]}. */
    void sendPldm(int eid, byte[] message) {
        byte[] packet = new byte[message.length + 2];
        packet[0] = (byte) eid;
        packet[1] = 1;
        System.arraycopy(message, 0, packet, 2, message.length);
        sendRaw(packet);
    }

    /**
     * @return the next datagram, or an empty array at end of stream
     * @throws TimeoutException if none arrives within {@code millis}
     */
    byte[] receive(long millis) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            in.clear();
            int rc = socket.receive(in);
            if (rc >= 0) {
                return Arrays.copyOf(in.array(), rc);
            }
            if (rc != -Errno.EAGAIN) {
                if (rc == -Errno.ECONNRESET) {
                    return new byte[0];
                }
                throw new IllegalStateException("receive returned " + rc);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("nothing received within " + millis + " ms");
            }
            Thread.sleep(1);
        }
    }

    byte[] receive() throws TimeoutException, InterruptedException {
        return receive(TIMEOUT_MILLIS);
    }

    /** @return true if nothing arrives within {@code millis} */
    boolean silentFor(long millis) throws InterruptedException {
        try {
            byte[] got = receive(millis);
            throw new AssertionError("expected silence, got " + hex(got));
        } catch (TimeoutException expected) {
            return true;
        }
    }

    /** Waits for the server to close this connection. */
    void awaitEndOfStream() throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new TimeoutException("no end of stream within " + TIMEOUT_MILLIS + " ms");
            }
            if (receive(left).length == 0) {
                return;
            }
        }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    static String hex(ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.get(b.position(), copy);
        return hex(copy);
    }

    /** @return the descriptors this process has open. */
    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
