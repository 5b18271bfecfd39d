package io.ferry.unix;

import io.ferry.unix.internal.LibC;
import java.io.IOException;

/**
 * A set-up call (create, bind, listen, connect, map, peer credentials) failed with an
 * {@code errno}. Per-message calls never throw this: they return {@code -errno}.
 */
public class UnixException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param message what was attempted, e.g. {@code "bind @mctp-mux"}
     * @param errno the positive errno value
     */
    public UnixException(String message, int errno) {
        super(message + ": " + LibC.describe(errno));
        this.errno = Math.abs(errno);
    }

    /** @return the positive errno value, comparable with {@link io.ferry.api.net.Errno} constants. */
    public int errno() {
        return errno;
    }
}
