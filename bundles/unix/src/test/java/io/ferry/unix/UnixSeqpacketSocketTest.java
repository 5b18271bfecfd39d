package io.ferry.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSeqpacketSocketTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    static UnixAddress uniqueAbstract() {
        return UnixAddress.abstractName("ferry-test-" + UUID.randomUUID());
    }

    @Test
    void shouldEchoDatagramsKeepingBoundariesOnAnAbstractName() throws Exception {
        echo(uniqueAbstract());
    }

    @Test
    void shouldEchoDatagramsKeepingBoundariesOnAPathAndRemoveTheFileOnClose() throws Exception {
        Path file = dir.resolve("echo.sock");
        echo(UnixAddress.path(file));
        assertFalse(Files.exists(file), "socket file removed on close");
    }

    private void echo(UnixAddress address) throws Exception {
        try (UnixSeqpacketServer server = UnixSeqpacketServer.bind(address);
                UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(address);
                UnixSeqpacketSocket peer = Await.accept(server)) {
            // Three datagrams sent back to back arrive as three, not as one stream of bytes.
            String[] messages = {"a", "bb", "hello mctp-demux"};
            for (String m : messages) {
                ByteBuffer out = ByteBuffer.allocateDirect(64).put(m.getBytes(StandardCharsets.UTF_8)).flip();
                assertEquals(m.length(), client.send(out));
                assertEquals(0, out.remaining());
            }
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            for (String m : messages) {
                in.clear();
                assertEquals(m.length(), Await.retry(peer.fd(), () -> peer.receive(in)));
                in.flip();
                assertEquals(m, StandardCharsets.UTF_8.decode(in).toString());
                // echo back through a heap buffer
                in.flip();
                ByteBuffer heap = ByteBuffer.allocate(m.length());
                heap.put(0, in, 0, m.length());
                assertEquals(m.length(), peer.send(heap));
            }
            ByteBuffer heapIn = ByteBuffer.allocate(64);
            for (String m : messages) {
                heapIn.clear();
                assertEquals(m.length(), Await.retry(client.fd(), () -> client.receive(heapIn)));
                assertEquals(m, new String(heapIn.array(), 0, heapIn.position(), StandardCharsets.UTF_8));
            }
            assertEquals(-Errno.EAGAIN, client.receive(heapIn.clear()));
        }
    }

    @Test
    void shouldReportTruncationAsDistinctCodeAndDropTheDatagram() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            assertEquals(10, a.send(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII))));
            assertEquals(3, a.send(ByteBuffer.wrap("xyz".getBytes(StandardCharsets.US_ASCII))));
            ByteBuffer small = ByteBuffer.allocateDirect(4);
            assertEquals(UnixSeqpacketSocket.TRUNCATED, b.receive(small));
            assertEquals(0, small.position(), "position unchanged on truncation");
            assertEquals(3, b.receive(small));
            // and through recvmsg with descriptors, a heap buffer
            assertEquals(5, a.send(ByteBuffer.wrap("abcde".getBytes(StandardCharsets.US_ASCII))));
            int[] fds = new int[2];
            assertEquals(UnixSeqpacketSocket.TRUNCATED, b.receiveWithFds(ByteBuffer.allocate(2), fds));
            assertArrayEquals(new int[] {-1, -1}, fds);
        }
    }

    @Test
    void shouldReturnNullFromAcceptWhenNothingIsPending() throws Exception {
        try (UnixSeqpacketServer server = UnixSeqpacketServer.bind(uniqueAbstract())) {
            assertNull(server.accept());
            assertNull(server.accept());
        }
    }

    @Test
    void shouldReportThisProcessAsPeerCredentials() throws Exception {
        UnixAddress address = uniqueAbstract();
        try (UnixSeqpacketServer server = UnixSeqpacketServer.bind(address);
                UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(address);
                UnixSeqpacketSocket peer = Await.accept(server)) {
            PeerCredentials expected = new PeerCredentials((int) ProcessHandle.current().pid(),
                    io.ferry.unix.internal.LibC.getuid(), io.ferry.unix.internal.LibC.getgid());
            assertEquals(expected, peer.peerCredentials());
            assertEquals(expected, client.peerCredentials());
        }
    }

    @Test
    void shouldReportEndOfStreamAsZeroAndPeerGoneOnSend() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]) {
            pair[1].close();
            assertEquals(0, a.receive(ByteBuffer.allocateDirect(8)));
            int rc = a.send(ByteBuffer.allocateDirect(1));
            assertTrue(rc == -Errno.EPIPE || rc == -Errno.ECONNRESET, "send to a closed peer: " + rc);
        }
    }

    @Test
    void shouldRefuseEmptyDatagramsSoThatZeroMeansEndOfStream() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            assertEquals(-Errno.EINVAL, a.send(ByteBuffer.allocate(0)));
            assertEquals(-Errno.EAGAIN, b.receive(ByteBuffer.allocate(8)));
        }
    }

    @Test
    void shouldFailConnectAndBindWithErrno() throws Exception {
        UnixAddress address = uniqueAbstract();
        UnixException refused = assertThrows(UnixException.class, () -> UnixSeqpacketSocket.connect(address));
        assertEquals(Errno.ECONNREFUSED, refused.errno());
        try (UnixSeqpacketServer server = UnixSeqpacketServer.bind(address)) {
            UnixException taken = assertThrows(UnixException.class, () -> UnixSeqpacketServer.bind(address));
            assertEquals(Errno.EADDRINUSE, taken.errno());
        }
        try (UnixSeqpacketSocket unconnected = UnixSeqpacketSocket.open()) {
            assertEquals(-Errno.ECONNREFUSED, unconnected.connectTo(address));
            assertEquals(-Errno.ENOTCONN, unconnected.send(ByteBuffer.allocate(1).put(0, (byte) 1)));
        }
    }

    @Test
    void shouldCloseOnceAndReturnEbadfAfterwards() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        int fd = pair[0].fd();
        String target = Await.target(fd);
        pair[0].close();
        pair[0].close();
        assertEquals(-1, pair[0].fd());
        assertFalse(pair[0].isOpen());
        assertFalse(Await.isOpen(fd, target));
        assertEquals(-Errno.EBADF, pair[0].send(ByteBuffer.allocate(1)));
        assertEquals(-Errno.EBADF, pair[0].receive(ByteBuffer.allocate(1)));
        assertThrows(UnixException.class, pair[0]::peerCredentials);
        pair[1].close();
        UnixSeqpacketServer server = UnixSeqpacketServer.bind(uniqueAbstract());
        server.close();
        server.close();
        assertThrows(UnixException.class, server::accept);
    }

    @Test
    void shouldRejectNamesTooLongOrEmpty() {
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.abstractName(""));
        assertThrows(IllegalArgumentException.class, () -> UnixAddress.abstractName("x".repeat(108)));
        assertEquals("@mctp-mux", UnixAddress.abstractName("mctp-mux").toString());
        assertEquals(UnixAddress.abstractName("a"), UnixAddress.abstractName("a"));
        assertFalse(UnixAddress.abstractName("a").equals(UnixAddress.path(Path.of("a"))));
    }
}
