package io.ferry.api.net;

import io.ferry.api.event.Pollable;
import io.ferry.api.event.Worker;
import java.io.IOException;
import java.net.SocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A listening socket (Ceph's {@code ServerSocket}). Register it with its worker's event center
 * for {@link io.ferry.api.event.EventMask#READABLE}, and call {@link #accept} until it returns
 * null.
 *
 * <p><b>Threading:</b> only the event-loop thread of {@link #worker()} may call
 * {@link #accept}; {@link #close()} and the getters may be called from any thread.
 */
@ProviderType
public interface ServerSocket extends Pollable, AutoCloseable {

    /** @return the bound address (with the real port when port 0 was asked for). */
    SocketAddress localAddress();

    /** @return the worker whose event loop owns this listener. */
    Worker worker();

    /**
     * Accepts one pending connection without blocking and assigns it to {@code target}, whose
     * load is counted up; the new socket must then be used only on {@code target}'s thread.
     *
     * @param target the worker that will own the connection (usually the stack's least loaded);
     *     null means the listener's own worker
     * @return the connection, or null when none is pending
     * @throws IOException for a real failure (such as EMFILE); the listener stays open
     */
    ConnectedSocket accept(SocketOptions options, Worker target) throws IOException;

    /** Closes the listener; idempotent, any thread. */
    @Override
    void close();
}
