package io.ferry.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FdPassingTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @Test
    void shouldShareMemoryAndSignalThroughDescriptorsPassedWithScmRights() throws Exception {
        UnixAddress address = UnixSeqpacketSocketTest.uniqueAbstract();
        try (UnixSeqpacketServer server = UnixSeqpacketServer.bind(address);
                UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(address);
                UnixSeqpacketSocket peer = Await.accept(server);
                SharedMemory memory = SharedMemory.create("fd-passing", 4096, true);
                EventFd doorbell = EventFd.create()) {
            assertEquals(0, memory.sealSize());
            ByteBuffer hello = ByteBuffer.wrap("HELLO".getBytes(StandardCharsets.US_ASCII));
            assertEquals(5, client.sendWithFds(hello, new int[] {memory.fd(), doorbell.fd()}));

            int[] fds = new int[2];
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            assertEquals(5, Await.retry(peer.fd(), () -> peer.receiveWithFds(in, fds)));
            assertTrue(fds[0] >= 0 && fds[1] >= 0);
            assertNotEquals(memory.fd(), fds[0], "the receiver gets its own descriptors");
            assertCloseOnExec(fds[0]);
            assertCloseOnExec(fds[1]);

            String memoryTarget = Await.target(fds[0]);
            String bellTarget = Await.target(fds[1]);
            try (SharedMemory received = SharedMemory.map(fds[0], 4096); EventFd remoteBell = EventFd.adopt(fds[1])) {
                assertTrue(received.isSizeSealed());
                memory.buffer().putLong(128, 0x1122334455667788L);
                assertEquals(0x1122334455667788L, received.buffer().getLong(128));
                received.buffer().putInt(4000, 42);
                assertEquals(42, memory.buffer().getInt(4000));

                assertEquals(0, remoteBell.signal(3));
                Await.readable(doorbell.fd(), Await.TIMEOUT_MILLIS);
                assertEquals(3, doorbell.drain());
                assertEquals(-Errno.EAGAIN, doorbell.drain());
            }
            assertFalse(Await.isOpen(fds[0], memoryTarget));
            assertFalse(Await.isOpen(fds[1], bellTarget));
        }
    }

    @Test
    void shouldCloseDescriptorsBeyondWhatTheCallerAccepts() throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        EventFd[] bells = {EventFd.create(), EventFd.create(), EventFd.create()};
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            int[] toSend = {bells[0].fd(), bells[1].fd(), bells[2].fd()};
            long before = Await.openDescriptors();
            assertEquals(1, a.sendWithFds(ByteBuffer.wrap(new byte[] {7}), toSend));
            int[] one = new int[1];
            assertEquals(1, b.receiveWithFds(ByteBuffer.allocate(4), one));
            assertTrue(one[0] >= 0);
            assertEquals(before + 1, Await.openDescriptors(), "only the accepted descriptor stays open");
            EventFd.adopt(one[0]).close();

            // plain receive(): descriptors passed along are discarded by the kernel
            assertEquals(1, a.sendWithFds(ByteBuffer.wrap(new byte[] {8}), toSend));
            assertEquals(1, b.receive(ByteBuffer.allocate(4)));
            assertEquals(before, Await.openDescriptors());

            // end of stream and errors leave every slot -1
            int[] none = {5, 5};
            assertEquals(-Errno.EAGAIN, b.receiveWithFds(ByteBuffer.allocate(4), none));
            assertArrayEquals(new int[] {-1, -1}, none);
            assertEquals(-Errno.EINVAL, a.sendWithFds(ByteBuffer.wrap(new byte[] {9}), new int[] {-3}));
            assertEquals(-Errno.EINVAL, a.sendWithFds(ByteBuffer.wrap(new byte[] {9}), new int[254]));
        } finally {
            for (EventFd bell : bells) {
                bell.close();
            }
        }
    }

    private static void assertCloseOnExec(int fd) throws Exception {
        String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        String flags = fdinfo.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow().substring(6).trim();
        assertTrue((Integer.parseInt(flags, 8) & 02000000) != 0, "O_CLOEXEC on fd " + fd + ": " + flags);
    }
}
