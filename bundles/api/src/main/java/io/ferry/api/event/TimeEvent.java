package io.ferry.api.event;

import org.osgi.annotation.versioning.ProviderType;

/** A scheduled time event. Only the owning center's thread may cancel it. */
@ProviderType
public interface TimeEvent {
    /** @return the deadline on the {@link System#nanoTime()} scale. */
    long deadlineNanos();

    /** Cancels the event if it has not run yet; idempotent. @return true if it was cancelled by this call */
    boolean cancel();
}
