package io.ferry.unix;

import io.ferry.api.event.Pollable;
import io.ferry.api.net.Errno;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.Scratch;

/**
 * A non-blocking, close-on-exec Linux {@code eventfd}: a 64-bit counter one side adds to
 * ({@link #signal(long)}) and the other reads and resets ({@link #drain()}); readable while the
 * counter is non-zero, so an {@link io.ferry.api.event.EventDriver} can wait on {@link #fd()}.
 * In semaphore mode each {@link #drain()} takes 1 from the counter instead of all of it.
 * Pass {@link #fd()} to another process with
 * {@link UnixSeqpacketSocket#sendWithFds(java.nio.ByteBuffer, int[])}; wrap a received one with
 * {@link #adopt(int)}.
 *
 * <p><b>Threading.</b> {@link #signal(long)} and {@link #drain()} may be called from any thread,
 * concurrently; they allocate nothing and never block. {@link #close()} is idempotent and
 * thread-safe; deregister from the event driver first and do not race it with signal/drain.
 */
public final class EventFd extends NativeDescriptor implements Pollable {
    private EventFd(int fd) {
        super(fd);
    }

    /** @return a new eventfd with counter 0, not in semaphore mode. */
    public static EventFd create() throws UnixException {
        return create(false);
    }

    /**
     * @param semaphore true for {@code EFD_SEMAPHORE}: each {@link #drain()} returns 1 and
     *     decrements the counter by 1
     * @throws UnixException if the descriptor cannot be created ({@code EMFILE}...)
     */
    public static EventFd create(boolean semaphore) throws UnixException {
        Unix.requireAvailable();
        int flags = LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC | (semaphore ? LibC.EFD_SEMAPHORE : 0);
        int fd = LibC.eventfd(0, flags);
        if (fd < 0) {
            throw new UnixException("eventfd", LibC.errno());
        }
        return new EventFd(fd);
    }

    /**
     * Takes ownership of an eventfd descriptor, e.g. one received over SCM_RIGHTS; it is closed
     * by {@link #close()}. Its flags (non-blocking, semaphore) are whatever its creator chose:
     * Ferry's peers create them non-blocking, as {@link #create()} does.
     */
    public static EventFd adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        return new EventFd(fd);
    }

    /**
     * Adds {@code n} to the counter, waking whoever polls the descriptor.
     *
     * @param n at least 1
     * @return 0, or {@code -EAGAIN} if the counter would overflow (the reader is far behind),
     *     {@code -EINVAL} for {@code n < 1}, {@code -EBADF} once closed
     */
    public int signal(long n) {
        int fd = fd();
        if (fd < 0) {
            return -Errno.EBADF;
        }
        if (n < 1) {
            return -Errno.EINVAL;
        }
        Scratch s = Scratch.current();
        s.memory.putLong(Scratch.U64_OFFSET, n);
        if (LibC.write(fd, s.base + Scratch.U64_OFFSET, Long.BYTES) != Long.BYTES) {
            return -LibC.errno();
        }
        return 0;
    }

    /**
     * Reads the counter and resets it to 0 (in semaphore mode: returns 1 and decrements it).
     *
     * @return the value read (at least 1; {@link Long#MAX_VALUE} if the unsigned counter exceeds
     *     it), or {@code -EAGAIN} when the counter is 0, {@code -EBADF} once closed
     */
    public long drain() {
        int fd = fd();
        if (fd < 0) {
            return -Errno.EBADF;
        }
        Scratch s = Scratch.current();
        if (LibC.read(fd, s.base + Scratch.U64_OFFSET, Long.BYTES) != Long.BYTES) {
            return -LibC.errno();
        }
        long value = s.memory.getLong(Scratch.U64_OFFSET);
        return value < 0 ? Long.MAX_VALUE : value;
    }

    @Override
    public String toString() {
        return "EventFd[fd " + fd() + "]";
    }
}
