package io.ferry.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Called on the event-loop thread when a registered pollable is ready. Must not block; an
 * exception it throws is logged and counted, and the file event is cancelled.
 */
@ConsumerType
@FunctionalInterface
public interface FileEventHandler {
    /** @param readyMask the {@link EventMask} bits that are ready */
    void onFileEvent(int readyMask);
}
