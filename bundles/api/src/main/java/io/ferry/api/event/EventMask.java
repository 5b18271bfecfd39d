package io.ferry.api.event;

/**
 * Interest and readiness bits for file events, with Ceph's values ({@code EVENT_READABLE = 1},
 * {@code EVENT_WRITABLE = 2}). Hang-ups and errors are reported as {@link #READABLE} and
 * {@link #WRITABLE} together so that the next read or write sees the error.
 */
public final class EventMask {
    /** No interest. */
    public static final int NONE = 0;
    /** Data (or a connection, or end-of-stream, or an error) can be read without blocking. */
    public static final int READABLE = 1;
    /** Data can be written without blocking, or a non-blocking connect finished. */
    public static final int WRITABLE = 2;
    /** Both. */
    public static final int ALL = READABLE | WRITABLE;

    private EventMask() {
    }

    /** @return a short text for logs, such as {@code "rw"}. */
    public static String toString(int mask) {
        return ((mask & READABLE) != 0 ? "r" : "-") + ((mask & WRITABLE) != 0 ? "w" : "-");
    }
}
