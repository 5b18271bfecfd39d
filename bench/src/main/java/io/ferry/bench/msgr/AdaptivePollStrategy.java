package io.ferry.bench.msgr;

import io.ferry.core.event.PollWindow;
import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;

/**
 * For Netty's epoll loop, the same adaptive poll before sleep as Ferry's event loops
 * ({@code io.ferry.core.event.DefaultEventCenter#pollBeforeSleep}): before blocking, poll without
 * waiting for as long as a {@link PollWindow} says. With {@code -Dferry.bench.msgr.pollMicros=N} both systems of the messenger suite poll this
 * way, so rows measured with polling compare like with like.
 *
 * <p>One instance per loop, called only by that loop's thread. Netty cannot say whether a sleep
 * ended by an event or by a scheduled task; the bench's loops schedule none.
 */
final class AdaptivePollStrategy implements SelectStrategy {
    private final long limitNanos;
    private final PollWindow window = new PollWindow();
    /** When the loop last went to sleep, 0 if it did not. */
    private long sleptAt;

    AdaptivePollStrategy(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        long now = System.nanoTime();
        if (sleptAt != 0) {
            window.afterSleep(limitNanos, now - sleptAt, true);
            sleptAt = 0;
        }
        if (hasTasks) {
            return selectNow.get();
        }
        long poll = window.next(limitNanos);
        if (poll > 0) {
            long deadline = now + poll;
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
}
