package io.ferry.unix;

import io.ferry.api.net.Errno;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.Memfd;
import io.ferry.unix.internal.MsgHdrDescriptor;
import io.ferry.unix.internal.Scratch;

/**
 * Whether this bundle's native calls can run on this machine (Linux on x86-64 or aarch64, with
 * JNA's native part loadable), and a bounded wait on one descriptor ({@link #poll(int, int, long)};
 * for several, reuse a {@link PollSet}). When the native calls cannot run, every factory in this
 * package throws a {@link UnixException} with {@code errno} {@code EOPNOTSUPP} and the reason,
 * and {@link #poll(int, int, long)} returns {@code -EOPNOTSUPP}.
 *
 * <p>Any thread; the answers never change during the life of the class loader.
 */
public final class Unix {
    /** {@code poll(2)} event: readable (eventfd counter non-zero, datagram or connection pending, end of stream). */
    public static final int POLLIN = LibC.POLLIN;
    /** {@code poll(2)} event: writable without blocking. */
    public static final int POLLOUT = LibC.POLLOUT;
    /** {@code poll(2)} result: an error condition; reported whether requested or not. */
    public static final int POLLERR = LibC.POLLERR;
    /** {@code poll(2)} result: hang-up (the peer closed); reported whether requested or not. */
    public static final int POLLHUP = LibC.POLLHUP;
    /** {@code poll(2)} result: the descriptor is not open; reported whether requested or not. */
    public static final int POLLNVAL = LibC.POLLNVAL;

    private Unix() {
    }

    /** @return true if sockets, eventfds and shared memory can be created here. */
    public static boolean isAvailable() {
        return LibC.isAvailable();
    }

    /** @return why {@link #isAvailable()} is false, or null when it is true. */
    public static String unavailableReason() {
        return LibC.unavailableReason();
    }

    /** @return true if {@code memfd_create} is available (else {@link SharedMemory} uses /dev/shm). */
    public static boolean hasMemfd() {
        return Memfd.isAvailable();
    }

    /**
     * Describes an errno value (positive or negative, as returned by this package's methods),
     * e.g. {@code "Resource temporarily unavailable (EAGAIN)"}. Allocates; not for hot paths.
     */
    public static String describe(int errno) {
        return LibC.describe(errno);
    }

    /**
     * Waits until {@code fd} is ready for {@code events} or the timeout expires, with
     * {@code ppoll(2)} (nanosecond timeout). A wait interrupted by a signal ({@code EINTR}) is
     * retried with the time that is left; {@link Thread#interrupt()} does not end it. Another
     * thread ends it by making the descriptor ready, e.g. {@link EventFd#signal(long)}. Nothing is
     * read or drained.
     *
     * <p>Any thread, concurrently (each uses its own per-thread scratch {@code pollfd}); allocates
     * nothing; never throws. Do not close {@code fd} while a thread waits on it: Linux does not
     * wake the waiter, and the number may be reused.
     *
     * @param fd the descriptor, e.g. {@link EventFd#fd()}
     * @param events {@link #POLLIN}, {@link #POLLOUT} or both
     * @param timeoutNanos at least 0; {@code 0} checks without waiting; {@link Long#MAX_VALUE}
     *     waits practically forever
     * @return the ready events (non-zero: some of {@code events}, or {@link #POLLERR},
     *     {@link #POLLHUP}, {@link #POLLNVAL}), {@code 0} on timeout, or a negative errno:
     *     {@code -EBADF} for a negative {@code fd} (a closed {@link NativeDescriptor}'s),
     *     {@code -EINVAL} for a negative timeout, {@code -EOPNOTSUPP} where
     *     {@link #isAvailable()} is false
     */
    public static int poll(int fd, int events, long timeoutNanos) {
        if (fd < 0) {
            return -Errno.EBADF;
        }
        if (!LibC.isAvailable()) {
            return -Errno.EOPNOTSUPP;
        }
        Scratch s = Scratch.current();
        s.memory.putInt(Scratch.POLLFD_OFFSET + MsgHdrDescriptor.POLLFD_FD_OFFSET, fd);
        s.memory.putShort(Scratch.POLLFD_OFFSET + MsgHdrDescriptor.POLLFD_EVENTS_OFFSET, (short) events);
        s.memory.putShort(Scratch.POLLFD_OFFSET + MsgHdrDescriptor.POLLFD_REVENTS_OFFSET, (short) 0);
        int n = PollSet.waitFor(s.base + Scratch.POLLFD_OFFSET, 1, s.memory, Scratch.TIMESPEC_OFFSET,
                s.base + Scratch.TIMESPEC_OFFSET, timeoutNanos);
        if (n <= 0) {
            return n;
        }
        return s.memory.getShort(Scratch.POLLFD_OFFSET + MsgHdrDescriptor.POLLFD_REVENTS_OFFSET) & 0xFFFF;
    }

    static void requireAvailable() throws UnixException {
        if (!LibC.isAvailable()) {
            throw new UnixException("native Unix I/O unavailable: " + LibC.unavailableReason(),
                    io.ferry.api.net.Errno.EOPNOTSUPP);
        }
    }
}
