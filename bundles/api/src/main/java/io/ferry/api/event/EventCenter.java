package io.ferry.api.event;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Ceph's {@code EventCenter}: file events by pollable and mask, time events ordered by deadline,
 * and external events pushed from other threads with a wake-up. One thread runs it.
 *
 * <p><b>Threading:</b> {@link #execute(Runnable)}, {@link #inEventLoop()}, {@link #name()} and
 * {@link #isShutdown()} may be called from any thread. Every other method must be called on the
 * center's own thread (from a callback, or from a task passed to {@code execute}); calling it
 * from another thread throws {@link IllegalStateException}.
 *
 * <p><b>Shutdown:</b> when the owning worker stops, file events are cancelled, pending time
 * events are dropped, and external events still queued are run once so that their owners can
 * fail pending work; {@code execute} after shutdown returns false and does not run the task.
 */
@ProviderType
public interface EventCenter {

    /** @return a name for logs, such as {@code "posix-worker-0"}. */
    String name();

    /** @return the driver this center polls with. */
    EventDriver driver();

    /** @return true if the calling thread is this center's thread. */
    boolean inEventLoop();

    /** @return true once the center stopped accepting work. */
    boolean isShutdown();

    /**
     * Registers a file event.
     *
     * @throws IOException if the driver refuses the pollable
     */
    FileEvent createFileEvent(Pollable pollable, int mask, FileEventHandler handler) throws IOException;

    /**
     * Schedules {@code task} to run once on this center's thread after {@code delayNanos}.
     * Events with equal deadlines run in the order they were scheduled.
     */
    TimeEvent createTimeEvent(long delayNanos, Runnable task);

    /**
     * Queues {@code task} to run on this center's thread and wakes the thread if it is waiting.
     * Any thread may call this. Tasks run in the order they were queued.
     *
     * @return true if the task will run exactly once (also when the center shuts down after
     *     accepting it: shutdown runs the tasks already queued); false if the center is shut
     *     down and the task will not run
     */
    boolean execute(Runnable task);

    /**
     * Cancels the file event of {@code pollable}, if it has one on this center. Whoever owns a
     * descriptor calls this before closing it, so that a descriptor number the kernel reuses
     * never meets a stale registration. Center thread only.
     *
     * @since 1.1
     */
    void forget(Pollable pollable);
}
