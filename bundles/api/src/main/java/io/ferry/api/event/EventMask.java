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
    /**
     * Interest modifier (since 1.2): the owner asks to hear only about <em>new</em> readiness, as
     * with epoll's {@code EPOLLET}, and in return promises to read until a read returns fewer
     * bytes than asked (or {@code EAGAIN}) and to keep writing until a write is cut short, each
     * time it is told. A driver that cannot do this ignores the bit and keeps reporting the level
     * (always a safe superset), so an owner must still cope with an event that finds nothing to
     * do, and must not leave work behind waiting for an event that, under this bit, would never
     * come: when it stops early (a budget, a pause), it schedules its own continuation.
     * {@link FileEvent#setMask} with a changed mask re-arms: readiness present at that moment is
     * reported again. Meaningless without {@link #READABLE} or {@link #WRITABLE}. Drivers that
     * honour it add {@link #HANGUP} to the ready mask when the peer hung up or an error waits.
     */
    public static final int EDGE_TRIGGERED = 4;
    /**
     * Ready bit only, for {@link #EDGE_TRIGGERED} registrations (since 1.2): the peer hung up or
     * an error is pending, besides whatever data is queued. The end of stream then follows the
     * data without an event of its own, so the owner reads until end of stream, an error or
     * {@code EAGAIN}, not just to a short read.
     */
    public static final int HANGUP = 8;

    private EventMask() {
    }

    /** @return a short text for logs, such as {@code "rw"}. */
    public static String toString(int mask) {
        return ((mask & READABLE) != 0 ? "r" : "-") + ((mask & WRITABLE) != 0 ? "w" : "-")
                + ((mask & EDGE_TRIGGERED) != 0 ? "e" : "") + ((mask & HANGUP) != 0 ? "h" : "");
    }
}
