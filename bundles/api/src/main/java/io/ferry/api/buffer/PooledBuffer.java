package io.ferry.api.buffer;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer from a {@link BufferPool}, returned to it when its count reaches 0. The
 * {@link #buffer()} view must not be used after the last {@link #release()}.
 */
@ProviderType
public interface PooledBuffer extends ReferenceCounted {
    /** @return the whole buffer, position 0 and limit at the requested size; a shared view. */
    ByteBuffer buffer();

    /** @return the size that was asked for. */
    int size();
}
