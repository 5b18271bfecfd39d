package io.ferry.api.net;

import io.ferry.api.event.Worker;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A network stack (Ceph's {@code NetworkStack}): a pool of {@link Worker}s plus non-blocking
 * listen and connect. Registered as an OSGi service with {@value #TYPE_PROPERTY} naming the kind
 * ({@code posix} = kernel TCP, {@code shm} = shared memory).
 *
 * <p><b>Threading:</b> every method may be called from any thread. The sockets returned belong to
 * the worker passed in (or chosen), and must be used on its thread.
 *
 * <p><b>Shutdown:</b> when the stack is deactivated (bundle stopped, configuration changed) its
 * workers stop, and every socket they own is closed: readiness is reported to the registered
 * handlers and the next I/O returns {@code -ESHUTDOWN}. A caller never waits for ever.
 */
@ProviderType
public interface NetworkStack {
    /** Service property with the stack's type. */
    String TYPE_PROPERTY = "ferry.stack";

    /** @return the stack's type, equal to the {@value #TYPE_PROPERTY} property. */
    String type();

    /** @return the name of the event driver the workers poll with ({@code epoll}, {@code nio}). */
    String driverName();

    /** @return the workers, in id order. */
    List<Worker> workers();

    /** @return the worker with the fewest assigned sockets (Ceph's {@code get_worker}). */
    Worker leastLoadedWorker();

    /**
     * Binds and listens without blocking. The listener is owned by {@code worker}, whose load
     * is counted up until the listener closes.
     *
     * @throws IOException with the reason (address in use, not permitted, bad address type)
     */
    ServerSocket listen(SocketAddress address, SocketOptions options, Worker worker) throws IOException;

    /**
     * Starts a non-blocking connect. The returned socket is owned by {@code worker}; register it
     * for {@link io.ferry.api.event.EventMask#WRITABLE} and check
     * {@link ConnectedSocket#isConnected()} when it fires. A refused connect is reported there
     * (as {@code -ECONNREFUSED}), not thrown.
     *
     * @throws IOException only when no socket can be created at all (bad address type, EMFILE)
     */
    ConnectedSocket connect(SocketAddress address, SocketOptions options, Worker worker) throws IOException;
}
