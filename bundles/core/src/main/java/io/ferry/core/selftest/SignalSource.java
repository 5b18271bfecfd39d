package io.ferry.core.selftest;

import io.ferry.api.event.Pollable;

/**
 * Something another thread can make readable, for probing file events: an eventfd or a pipe.
 *
 * <p><b>Threading:</b> {@link #signal()} from any thread; {@link #drain()} on the loop that
 * watches it; {@link #close()} once, after the watching file event is cancelled.
 */
interface SignalSource extends AutoCloseable {
    /** @return {@code "eventfd"} or {@code "pipe"}. */
    String name();

    /** @return what the driver waits on. */
    Pollable pollable();

    /** Makes the pollable readable. */
    void signal();

    /** Consumes the signal so the pollable is no longer readable. */
    void drain();

    @Override
    void close();
}
