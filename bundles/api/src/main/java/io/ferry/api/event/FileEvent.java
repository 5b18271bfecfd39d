package io.ferry.api.event;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A registration of a pollable with an {@link EventCenter}. Only the center's thread may call
 * these methods.
 */
@ProviderType
public interface FileEvent {
    /** @return the current interest mask. */
    int mask();

    /** Changes the interest mask; {@link EventMask#NONE} pauses the event without dropping it. */
    void setMask(int mask);

    /** Removes the registration; idempotent. The pollable itself is not closed. */
    void cancel();

    /** @return true until {@link #cancel()} or the center's shutdown. */
    boolean isActive();
}
