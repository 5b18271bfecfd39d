package io.ferry.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventFdAndSharedMemoryTest {
    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @Test
    void shouldAddSignalsAndDrainThemAtOnce() throws Exception {
        try (EventFd e = EventFd.create()) {
            assertEquals(-Errno.EAGAIN, e.drain());
            assertEquals(0, e.signal(2));
            assertEquals(0, e.signal(5));
            assertEquals(7, e.drain());
            assertEquals(-Errno.EAGAIN, e.drain());
            assertEquals(-Errno.EINVAL, e.signal(0));
        }
    }

    @Test
    void shouldDrainOneAtATimeInSemaphoreMode() throws Exception {
        try (EventFd e = EventFd.create(true)) {
            assertEquals(0, e.signal(2));
            assertEquals(1, e.drain());
            assertEquals(1, e.drain());
            assertEquals(-Errno.EAGAIN, e.drain());
        }
    }

    @Test
    void shouldReturnEbadfAfterCloseAndCloseOnlyOnce() throws Exception {
        EventFd e = EventFd.create();
        int fd = e.fd();
        String target = Await.target(fd);
        e.close();
        e.close();
        assertFalse(Await.isOpen(fd, target));
        assertEquals(-Errno.EBADF, e.signal(1));
        assertEquals(-Errno.EBADF, e.drain());
    }

    @Test
    void shouldMapMemfdSharedAndCountLiveMappings() throws Exception {
        int live = SharedMemory.liveMappings();
        try (SharedMemory m = SharedMemory.create("mapped", 8192)) {
            assertEquals(Unix.hasMemfd(), m.isMemfd());
            assertEquals(live + 1, SharedMemory.liveMappings());
            ByteBuffer b = m.buffer();
            assertEquals(8192, b.capacity());
            assertEquals(0L, b.getLong(8184), "zero-filled");
            b.putLong(8184, -1L);
            assertEquals(-1L, m.buffer().getLong(8184));
            assertFalse(m.isSizeSealed());
            assertEquals(-Errno.EPERM, m.sealSize(), "not created with sealing allowed");
            assertTrue(Files.readString(Path.of("/proc/self/maps")).contains("memfd:mapped") || !m.isMemfd());
        }
        assertEquals(live, SharedMemory.liveMappings());
    }

    @Test
    void shouldFallBackToAnUnlinkedFileInDevShm() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/dev/shm")));
        try (SharedMemory m = SharedMemory.createInDevShm("fallback", 4096);
                SharedMemory other = SharedMemory.map(dup(m), 4096)) {
            assertFalse(m.isMemfd());
            m.buffer().putInt(0, 0xCAFE);
            assertEquals(0xCAFE, other.buffer().getInt(0));
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + m.fd())).toString();
            assertTrue(target.startsWith("/dev/shm/ferry-fallback-") && target.endsWith("(deleted)"), target);
        }
    }

    @Test
    void shouldRefuseToMapMoreThanTheFileHolds() throws Exception {
        try (SharedMemory m = SharedMemory.create("small", 4096)) {
            int copy = dup(m);
            String target = Await.target(copy);
            UnixException e = assertThrows(UnixException.class, () -> SharedMemory.map(copy, 8192));
            assertEquals(Errno.EINVAL, e.errno());
            assertFalse(Await.isOpen(copy, target), "the adopted descriptor is closed on failure");
        }
    }

    @Test
    void shouldCloseSharedMemoryOnce() throws Exception {
        int live = SharedMemory.liveMappings();
        SharedMemory m = SharedMemory.create("twice", 4096);
        int fd = m.fd();
        String target = Await.target(fd);
        m.close();
        m.close();
        assertFalse(m.isMapped());
        assertEquals(-1, m.fd());
        assertFalse(Await.isOpen(fd, target));
        assertEquals(live, SharedMemory.liveMappings());
    }

    /** Duplicates the memory's descriptor by passing it through a socket pair. */
    static int dup(SharedMemory m) throws Exception {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1]) {
            assertEquals(1, a.sendWithFds(ByteBuffer.wrap(new byte[] {1}), new int[] {m.fd()}));
            int[] fds = new int[1];
            assertEquals(1, b.receiveWithFds(ByteBuffer.allocate(1), fds));
            return fds[0];
        }
    }
}
