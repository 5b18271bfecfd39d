package io.ferry.api.event;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The poller under one {@link EventCenter}: Ceph's {@code EventDriver} ({@code EpollDriver},
 * and here also a portable NIO {@code Selector} driver). Created by an
 * {@link EventDriverFactory} service, owned by exactly one event-loop thread.
 *
 * <p><b>Threading:</b> every method except {@link #wakeup()} must be called from the owning
 * event-loop thread only. {@link #wakeup()} may be called from any thread at any time, also
 * concurrently with {@link #poll}; it is a no-op after {@link #close()}.
 *
 * <p><b>Errors:</b> registration methods throw {@link IOException} with the operating system's
 * reason (for example a closed descriptor); {@link #poll} throws only when the poller itself is
 * broken, never for a single bad registration.
 */
@ProviderType
public interface EventDriver extends AutoCloseable {

    /** Receives the events one {@link #poll} call found; called on the polling thread. */
    @FunctionalInterface
    interface ReadyHandler {
        /**
         * @param attachment what was given to {@link #register}
         * @param readyMask {@link EventMask} bits that are ready
         */
        void ready(Object attachment, int readyMask);
    }

    /** @return the driver's name, such as {@code "epoll"} or {@code "nio"}. */
    String name();

    /** @return true if this driver can wait on the given pollable (fd-based or channel-based). */
    boolean accepts(Pollable pollable);

    /**
     * Starts watching a pollable for the events in {@code mask}.
     *
     * @param attachment handed back to the {@link ReadyHandler}; not null
     * @throws IOException if the operating system refuses, or the pollable is not
     *     {@link #accepts accepted}
     */
    void register(Pollable pollable, int mask, Object attachment) throws IOException;

    /** Changes the interest mask of a registered pollable ({@link EventMask#NONE} keeps it registered). */
    void modify(Pollable pollable, int mask) throws IOException;

    /**
     * Stops watching a pollable. Never throws; unknown pollables are ignored. Call it before the
     * pollable's descriptor is closed: fd-based drivers know a pollable by its descriptor number,
     * which the kernel reuses.
     */
    void deregister(Pollable pollable);

    /**
     * Waits for events, at most {@code timeoutNanos} (0 = do not wait, negative = until an event
     * or a {@link #wakeup()}), and hands each to the handler.
     *
     * @return the number of ready pollables handed to the handler
     * @throws IOException if the poller itself failed
     */
    int poll(ReadyHandler handler, long timeoutNanos) throws IOException;

    /** Makes a current or the next {@link #poll} return promptly. Any thread. */
    void wakeup();

    /** Releases the poller's resources. Registered pollables are not closed. */
    @Override
    void close();
}
