package io.ferry.bench.msgr;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * For Netty's epoll loop, the same adaptive poll before sleep as Ferry's event loops
 * ({@code io.ferry.core.event.DefaultEventCenter#pollBeforeSleep}): before blocking, poll without
 * waiting for up to the current window; the window grows (from an eighth of the limit, doubling up
 * to the limit) after a sleep that ended within the limit, and halves (down to none) after a longer
 * one. With {@code -Dferry.bench.msgr.pollMicros=N} both systems of the messenger suite poll this
 * way, so rows measured with polling compare like with like.
 *
 * <p>One instance per loop, called only by that loop's thread. Netty cannot say whether a sleep
 * ended by an event or by a scheduled task; the bench's loops schedule none.
 */
final class AdaptivePollStrategy implements SelectStrategy {
    private final long limitNanos;
    private final long smallestNanos;
    private long windowNanos;
    /** When the loop last went to sleep, 0 if it did not. */
    private long sleptAt;

    AdaptivePollStrategy(long limitNanos) {
        this.limitNanos = limitNanos;
        this.smallestNanos = Math.max(1, limitNanos / 8);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        long now = System.nanoTime();
        if (sleptAt != 0) {
            adapt(now - sleptAt);
            sleptAt = 0;
        }
        if (hasTasks) {
            return selectNow.get();
        }
        if (windowNanos > 0) {
            long deadline = now + windowNanos;
            do {
                int ready = selectNow.get();
                if (ready > 0) {
                    return ready;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() - deadline < 0);
        }
        sleptAt = System.nanoTime();
        return SelectStrategy.SELECT;
    }

    private void adapt(long sleptNanos) {
        if (windowNanos + sleptNanos <= limitNanos) {
            windowNanos = Math.min(limitNanos, Math.max(smallestNanos, windowNanos * 2));
        } else if (windowNanos > 0) {
            windowNanos = windowNanos / 2 < smallestNanos ? 0 : windowNanos / 2;
        }
    }
}
