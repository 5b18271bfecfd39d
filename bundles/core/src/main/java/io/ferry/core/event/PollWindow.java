package io.ferry.core.event;

/**
 * How long a loop that polls before it sleeps should poll next, adapted to how soon its events
 * come, after Linux's cpuidle haltpoll governor: after a sleep that an event ended within the
 * limit, the window grows (from an eighth of the limit, doubling up to the limit); after a longer
 * sleep, or one no event ended, it halves, down to none. A loop whose events come further apart
 * than the limit thus stops polling after a few sleeps, and never polls longer than the limit.
 *
 * <p>Used by {@link DefaultEventCenter#pollBeforeSleep(long)}, and by the benchmarks to give
 * another event loop the same policy. <b>Threading:</b> one loop thread.
 */
public final class PollWindow {
    private long windowNanos;

    /** @return how long to poll before the next sleep under {@code limitNanos} (0: do not poll) */
    public long next(long limitNanos) {
        return Math.min(windowNanos, limitNanos);
    }

    /**
     * Takes in a sleep that followed a poll of {@link #next} (or no poll).
     *
     * @param limitNanos the longest poll allowed
     * @param sleptNanos how long the loop slept
     * @param woken true if an event ended the sleep (not a timeout)
     */
    public void afterSleep(long limitNanos, long sleptNanos, boolean woken) {
        long smallest = Math.max(1, limitNanos / 8);
        long window = Math.min(windowNanos, limitNanos);
        if (woken && window + sleptNanos <= limitNanos) {
            windowNanos = Math.min(limitNanos, Math.max(smallest, window * 2));
        } else if (window > 0) {
            windowNanos = window / 2 < smallest ? 0 : window / 2;
        }
    }
}
