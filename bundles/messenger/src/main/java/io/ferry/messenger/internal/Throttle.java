package io.ferry.messenger.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Counts received messages and payload bytes that dispatchers hold (Ceph's dispatch throttler and
 * policy throttlers together). {@link #tryAcquire} is called on event-loop threads, {@link #release}
 * from whichever thread releases a message. Lock-free.
 */
final class Throttle {
    private final long maxMessages;
    private final long maxBytes;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    /** {@link #release} as a message's release hook: one object for every message. */
    private final LongConsumer releaser = this::release;

    Throttle(long maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Takes one message of {@code size} bytes if both limits allow it. A message larger than the
     * byte limit is admitted when nothing else is held, so it cannot wedge the connection.
     */
    boolean tryAcquire(long size) {
        while (true) {
            long m = messages.get();
            if (m >= maxMessages) {
                refusals.incrementAndGet();
                return false;
            }
            if (messages.compareAndSet(m, m + 1)) {
                break;
            }
        }
        while (true) {
            long b = bytes.get();
            if (b > 0 && b + size > maxBytes) {
                messages.decrementAndGet();
                refusals.incrementAndGet();
                return false;
            }
            if (bytes.compareAndSet(b, b + size)) {
                return true;
            }
        }
    }

    /** @return a hook for {@link io.ferry.api.msgr.Message#onRelease(LongConsumer, long)} that calls {@link #release} */
    LongConsumer releaser() {
        return releaser;
    }

    void release(long size) {
        messages.decrementAndGet();
        bytes.addAndGet(-size);
    }

    long messagesHeld() {
        return messages.get();
    }

    long bytesHeld() {
        return bytes.get();
    }

    long refusals() {
        return refusals.get();
    }
}
