package io.ferry.unix;

import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.Memfd;

/**
 * Whether this bundle's native calls can run on this machine (Linux on x86-64 or aarch64, with
 * JNA's native part loadable). When they cannot, every factory in this package throws a
 * {@link UnixException} with {@code errno} {@code EOPNOTSUPP} and the reason.
 *
 * <p>Any thread; the answers never change during the life of the class loader.
 */
public final class Unix {
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

    static void requireAvailable() throws UnixException {
        if (!LibC.isAvailable()) {
            throw new UnixException("native Unix I/O unavailable: " + LibC.unavailableReason(),
                    io.ferry.api.net.Errno.EOPNOTSUPP);
        }
    }
}
