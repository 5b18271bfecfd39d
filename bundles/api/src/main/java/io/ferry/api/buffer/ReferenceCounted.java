package io.ferry.api.buffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Memory whose owners count themselves. Thread-safe: references may be taken and dropped on
 * any thread. Releasing more often than retained throws {@link IllegalStateException}, so a
 * double free is found where it happens, not where the memory is reused.
 */
@ProviderType
public interface ReferenceCounted {
    /** @return the current count; 0 means the memory went back to its owner. */
    int refCount();

    /** Takes one more reference. @throws IllegalStateException if the count already reached 0 */
    void retain();

    /** Drops one reference. @return true if this dropped the last one and freed the memory */
    boolean release();
}
