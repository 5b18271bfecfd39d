package io.ferry.core.jni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.core.jna.EpollEventDescriptor;
import io.ferry.core.jna.LibC;
import io.ferry.core.jna.NativeBuffers;
import io.ferry.core.jna.NativeScratch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ferry's JNI library and the JNA fallback answer every call alike: same results, same
 * {@code -errno} convention. The JNI side must load wherever the build carried the library.
 */
class NativeIoTest {
    /** One path's calls, so each case runs through both. */
    interface Calls {
        long recv(int fd, long buf, long len, int flags);

        long send(int fd, long buf, long len, int flags);

        long sendmsg(int fd, long msghdr, int flags);

        long write(int fd, long buf, long count);

        int epollWait(int epfd, long events, int maxEvents, int timeoutMillis);

        int epollCtl(int epfd, int op, int fd, long event);

        int timerfdSettime(int fd, int flags, long newValue, long oldValue);
    }

    static final Calls JNI = new Calls() {
        public long recv(int fd, long buf, long len, int flags) {
            return NativeIo.recv0(fd, buf, len, flags);
        }

        public long send(int fd, long buf, long len, int flags) {
            return NativeIo.send0(fd, buf, len, flags);
        }

        public long sendmsg(int fd, long msghdr, int flags) {
            return NativeIo.sendmsg0(fd, msghdr, flags);
        }

        public long write(int fd, long buf, long count) {
            return NativeIo.write0(fd, buf, count);
        }

        public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
            return NativeIo.epollWait0(epfd, events, maxEvents, timeoutMillis);
        }

        public int epollCtl(int epfd, int op, int fd, long event) {
            return NativeIo.epollCtl0(epfd, op, fd, event);
        }

        public int timerfdSettime(int fd, int flags, long newValue, long oldValue) {
            return NativeIo.timerfdSettime0(fd, flags, newValue, oldValue);
        }

        @Override
        public String toString() {
            return "jni";
        }
    };

    static final Calls JNA = new Calls() {
        public long recv(int fd, long buf, long len, int flags) {
            return NativeIo.Jna.recv(fd, buf, len, flags);
        }

        public long send(int fd, long buf, long len, int flags) {
            return NativeIo.Jna.send(fd, buf, len, flags);
        }

        public long sendmsg(int fd, long msghdr, int flags) {
            return NativeIo.Jna.sendmsg(fd, msghdr, flags);
        }

        public long write(int fd, long buf, long count) {
            return NativeIo.Jna.write(fd, buf, count);
        }

        public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
            return NativeIo.Jna.epollWait(epfd, events, maxEvents, timeoutMillis);
        }

        public int epollCtl(int epfd, int op, int fd, long event) {
            return NativeIo.Jna.epollCtl(epfd, op, fd, event);
        }

        public int timerfdSettime(int fd, int flags, long newValue, long oldValue) {
            return NativeIo.Jna.timerfdSettime(fd, flags, newValue, oldValue);
        }

        @Override
        public String toString() {
            return "jna";
        }
    };

    private final List<Integer> fds = new ArrayList<>();
    private final ByteBuffer out = NativeBuffers.allocate(64);
    private final ByteBuffer in = NativeBuffers.allocate(64);

    @BeforeAll
    static void requireNativeAccess() {
        assumeTrue(LibC.isAvailable(), () -> "no native access: " + LibC.unavailableReason());
    }

    static Stream<Calls> paths() {
        return NativeIo.usesJni() ? Stream.of(JNI, JNA) : Stream.of(JNA);
    }

    @AfterEach
    void closeAll() {
        for (int fd : fds) {
            LibC.close(fd);
        }
    }

    @Test
    void jniShouldLoadWhereTheBuildCarriesTheLibrary() {
        String resource = NativeIo.libraryResource();
        assumeTrue(resource != null && NativeIo.class.getResource(resource) != null,
                "this build carries no JNI library (built with -Dferry.native.skip=true or for another platform)");
        assertTrue(NativeIo.usesJni(), () -> "the JNI library is in the jar but did not load: " + NativeIo.jniUnavailableReason());
        assertEquals("jni", NativeIo.implementation());
        assertEquals(NativeIo.ABI, NativeIo.abi0());
    }

    @ParameterizedTest
    @MethodSource("paths")
    void sendAndRecvShouldMoveBytesAndSayEagainWhenEmpty(Calls c) {
        int[] pair = socketPair();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        out.put(0, hello);
        assertEquals(5, c.send(pair[0], NativeBuffers.address(out), 5, LibC.MSG_NOSIGNAL));
        assertEquals(5, c.recv(pair[1], NativeBuffers.address(in), 64, 0));
        byte[] got = new byte[5];
        in.get(0, got);
        assertEquals("hello", new String(got, StandardCharsets.US_ASCII));
        assertEquals(-Errno.EAGAIN, c.recv(pair[1], NativeBuffers.address(in), 64, 0));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void sendmsgShouldGatherItsIovecs(Calls c) {
        int[] pair = socketPair();
        out.put(0, "abcdef".getBytes(StandardCharsets.US_ASCII));
        NativeScratch scratch = NativeScratch.current();
        scratch.iovec(0, NativeBuffers.address(out) + 3, 3);
        scratch.iovec(1, NativeBuffers.address(out), 3);
        assertEquals(6, c.sendmsg(pair[0], scratch.msghdr(2), LibC.MSG_NOSIGNAL));
        assertEquals(6, c.recv(pair[1], NativeBuffers.address(in), 64, 0));
        byte[] got = new byte[6];
        in.get(0, got);
        assertEquals("defabc", new String(got, StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void failuresShouldComeBackAsNegativeErrno(Calls c) {
        int[] pair = socketPair();
        LibC.close(pair[1]);
        fds.remove(Integer.valueOf(pair[1]));
        assertEquals(-Errno.EPIPE, c.send(pair[0], NativeBuffers.address(out), 1, LibC.MSG_NOSIGNAL), "peer gone");
        assertEquals(0, c.recv(pair[0], NativeBuffers.address(in), 64, 0), "end of stream");
        int closed = pair[1];
        assertEquals(-Errno.EBADF, c.write(closed, NativeBuffers.address(out), 1));
        assertEquals(-Errno.EBADF, c.recv(closed, NativeBuffers.address(in), 1, 0));
        ByteBuffer event = NativeBuffers.allocate(EpollEventDescriptor.SIZE);
        assertEquals(-Errno.EBADF, c.epollCtl(closed, LibC.EPOLL_CTL_ADD, pair[0], NativeBuffers.address(event)));
        assertEquals(-14, c.epollCtl(closed, LibC.EPOLL_CTL_ADD, pair[0], 0L), "EFAULT: the event is read first");
        assertEquals(-Errno.EBADF, c.epollWait(closed, NativeBuffers.address(in), 1, 0));
        ByteBuffer disarm = NativeBuffers.allocate(LibC.ITIMERSPEC_SIZE);
        assertEquals(-Errno.EBADF, c.timerfdSettime(closed, 0, NativeBuffers.address(disarm), 0L));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void epollAndTimerfdShouldWorkThroughEitherPath(Calls c) {
        int ep = track(LibC.epoll_create1(LibC.EPOLL_CLOEXEC));
        int efd = track(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC));
        ByteBuffer event = NativeBuffers.allocate(EpollEventDescriptor.SIZE * 4);
        long at = NativeBuffers.address(event);
        event.putInt(EpollEventDescriptor.EVENTS_OFFSET, LibC.EPOLLIN);
        event.putLong(EpollEventDescriptor.DATA_OFFSET, 77);
        assertEquals(0, c.epollCtl(ep, LibC.EPOLL_CTL_ADD, efd, at));
        assertEquals(-LibC.EEXIST, c.epollCtl(ep, LibC.EPOLL_CTL_ADD, efd, at));
        assertEquals(0, c.epollWait(ep, at, 4, 0));
        out.putLong(0, 1);
        assertEquals(8, c.write(efd, NativeBuffers.address(out), 8));
        assertEquals(1, c.epollWait(ep, at, 4, 1000));
        assertEquals(77, event.getLong(EpollEventDescriptor.DATA_OFFSET));

        int tfd = track(LibC.timerfd_create(LibC.CLOCK_MONOTONIC, LibC.TFD_NONBLOCK | LibC.TFD_CLOEXEC));
        ByteBuffer spec = NativeBuffers.allocate(LibC.ITIMERSPEC_SIZE);
        spec.putLong(LibC.ITIMERSPEC_VALUE_NSEC_OFFSET, 1_000_000);
        assertEquals(0, c.timerfdSettime(tfd, 0, NativeBuffers.address(spec), 0L));
        event.putInt(EpollEventDescriptor.EVENTS_OFFSET, LibC.EPOLLIN);
        event.putLong(EpollEventDescriptor.DATA_OFFSET, 88);
        assertEquals(0, c.epollCtl(ep, LibC.EPOLL_CTL_DEL, efd, 0L));
        assertEquals(0, c.epollCtl(ep, LibC.EPOLL_CTL_ADD, tfd, at));
        assertEquals(1, c.epollWait(ep, at, 4, 5000), "the 1 ms timer fires");
        assertEquals(88, event.getLong(EpollEventDescriptor.DATA_OFFSET));
    }

    @Test
    void libraryResourceShouldNameTheMachinesArchitecture() {
        String r = NativeIo.libraryResource();
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertEquals("/META-INF/native/linux-x86_64/libferry-core-io.so", r);
        } else if (arch.equals("aarch64")) {
            assertEquals("/META-INF/native/linux-aarch64/libferry-core-io.so", r);
        }
    }

    private int[] socketPair() {
        ByteBuffer sv = NativeBuffers.allocate(8);
        assertEquals(0, LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0,
                NativeBuffers.address(sv)));
        return new int[] {track(sv.getInt(0)), track(sv.getInt(4))};
    }

    private int track(int fd) {
        assertTrue(fd >= 0, "descriptor");
        fds.add(fd);
        return fd;
    }
}
