package io.ferry.core.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LibCTest {

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
    }

    @Test
    void shouldBindLibcOnLinux() {
        assertTrue(LibC.isAvailable(), () -> "unavailable: " + LibC.unavailableReason());
        assertNull(LibC.unavailableReason());
    }

    @Test
    void shouldReportErrnoOfTheFailedCallOnTheCallingThread() throws Exception {
        assertEquals(-1, LibC.close(-1));
        assertEquals(Errno.EBADF, LibC.errno());

        // Another thread's failure with a different errno does not leak into this thread's value.
        AtomicInteger otherErrno = new AtomicInteger();
        CountDownLatch otherFailed = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            LibC.socket(12345, LibC.SOCK_STREAM, 0);
            otherErrno.set(LibC.errno());
            otherFailed.countDown();
        });
        other.start();
        otherFailed.await();
        other.join();
        assertEquals(LibC.EAFNOSUPPORT, otherErrno.get());
        assertEquals(Errno.EBADF, LibC.errno(), "errno is per thread");
    }

    @Test
    void shouldDescribeErrnoWithTextAndName() {
        assertEquals("Connection refused (ECONNREFUSED)", LibC.describe(-Errno.ECONNREFUSED));
    }

    @Test
    void shouldReadDirectBufferAddressesThatAgreeWithJni() {
        assertTrue(NativeBuffers.usesUnsafe(), "Unsafe path expected on a HotSpot JDK 17");
        ByteBuffer parent = NativeBuffers.allocate(4096);
        ByteBuffer slice = parent.position(100).slice();
        assertEquals(NativeBuffers.address(parent) + 100, NativeBuffers.address(slice));
        assertEquals(com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(slice)),
                NativeBuffers.address(slice));
        slice.position(5);
        assertEquals(NativeBuffers.address(slice) + 5, NativeBuffers.addressAtPosition(slice));
    }

    @Test
    void shouldMoveBytesThroughAnEventfdByAddress() {
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        assertTrue(fd >= 0);
        try {
            ByteBuffer word = NativeBuffers.allocate(8);
            assertEquals(-1, LibC.read(fd, NativeBuffers.address(word), 8));
            assertEquals(Errno.EAGAIN, LibC.errno());
            word.putLong(0, 3);
            assertEquals(8, LibC.write(fd, NativeBuffers.address(word), 8));
            assertEquals(8, LibC.write(fd, NativeBuffers.address(word), 8));
            word.putLong(0, 0);
            assertEquals(8, LibC.read(fd, NativeBuffers.address(word), 8));
            assertEquals(6, word.getLong(0));
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void shouldUsePackedEpollEventOnX86_64() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"));
        assertEquals(12, EpollEventDescriptor.SIZE);
        assertEquals(4, EpollEventDescriptor.DATA_OFFSET);
    }

    @Test
    void shouldRoundTripIpv4AndIpv6SockAddrs() throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(SockAddr.STORAGE_SIZE).order(ByteOrder.nativeOrder());
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 6789);
        assertEquals(SockAddr.IN_SIZE, SockAddr.encode(v4, LibC.AF_INET, buf));
        assertEquals(LibC.AF_INET, buf.getShort(0));
        assertEquals(0x1a, buf.get(2) & 0xff, "port in network byte order");
        assertEquals(0x85, buf.get(3) & 0xff);
        assertEquals(v4, SockAddr.decode(buf, SockAddr.IN_SIZE));

        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("fd00::2"), 443);
        assertEquals(SockAddr.IN6_SIZE, SockAddr.encode(v6, LibC.AF_INET6, buf));
        assertEquals(v6, SockAddr.decode(buf, SockAddr.IN6_SIZE));

        // IPv4 in an IPv6 socket is IPv4-mapped, and decodes back to IPv4.
        SockAddr.encode(v4, LibC.AF_INET6, buf);
        assertEquals(0xff, buf.get(SockAddr.IN6_ADDR_OFFSET + 10) & 0xff);
        assertEquals(v4, SockAddr.decode(buf, SockAddr.IN6_SIZE));

        // The IPv4 wildcard becomes ::, the dual-stack wildcard.
        SockAddr.encode(new InetSocketAddress(7), LibC.AF_INET6, buf);
        InetSocketAddress any = SockAddr.decode(buf, SockAddr.IN6_SIZE);
        assertTrue(any.getAddress().isAnyLocalAddress());
        assertNotEquals(0, any.getPort());
    }
}
