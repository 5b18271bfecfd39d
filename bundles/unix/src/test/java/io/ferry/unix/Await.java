package io.ferry.unix;

import io.ferry.unix.internal.Addresses;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.MsgHdrDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/** Bounded waits and descriptor counting for the tests. */
final class Await {
    static final int POLLIN = 0x1;
    static final long TIMEOUT_MILLIS = 10_000;

    private Await() {
    }

    /** Waits with poll(2) until {@code fd} is readable, at most {@code millis}. */
    static void readable(int fd, long millis) throws TimeoutException {
        ByteBuffer pollfd = Addresses.allocate(MsgHdrDescriptor.POLLFD_SIZE);
        pollfd.putInt(MsgHdrDescriptor.POLLFD_FD_OFFSET, fd);
        pollfd.putShort(MsgHdrDescriptor.POLLFD_EVENTS_OFFSET, (short) POLLIN);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new TimeoutException("fd " + fd + " not readable within " + millis + " ms");
            }
            int n = LibC.poll(Addresses.address(pollfd), 1, (int) left);
            if (n > 0) {
                return;
            }
        }
    }

    /** Repeats a non-blocking call while it returns -EAGAIN, waiting for readability between tries. */
    static int retry(int fd, IntSupplier call) throws TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        while (true) {
            int rc = call.getAsInt();
            if (rc != -io.ferry.api.net.Errno.EAGAIN) {
                return rc;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new TimeoutException("still EAGAIN after " + TIMEOUT_MILLIS + " ms");
            }
            readable(fd, left);
        }
    }

    static UnixSeqpacketSocket accept(UnixSeqpacketServer server) throws Exception {
        readable(server.fd(), TIMEOUT_MILLIS);
        UnixSeqpacketSocket s = server.accept();
        if (s == null) {
            throw new IllegalStateException("readable listener but nothing to accept");
        }
        return s;
    }

    /** @return the number of descriptors this process has open. */
    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** @return what {@code fd} refers to in this process ({@code /proc/self/fd}), or null if it is not open */
    static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @param target what {@code fd} referred to while it was surely open ({@link #target})
     * @return true if {@code fd} still refers to it. By number alone a closed descriptor can look
     *     open: anything in the JVM (a class loaded from a jar) may get the freed number at once.
     */
    static boolean isOpen(int fd, String target) {
        return target.equals(target(fd));
    }
}
