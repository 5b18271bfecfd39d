package io.ferry.testkit;

import io.ferry.api.net.Errno;
import java.io.IOException;

/** A stream ended by a negative errno from the stack; {@link #errno()} has the value. */
public final class StreamFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /** @param errno the negative errno */
    public StreamFailedException(String what, int errno) {
        super(what + ": " + Errno.name(errno) + " (" + errno + ")");
        this.errno = errno;
    }

    /** @return the negative errno the stack returned. */
    public int errno() {
        return errno;
    }
}
