package io.ferry.api.event;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The OSGi service that makes {@link WorkerPool}s: event-loop threads for a bundle that needs its
 * own loops (a network stack, a NAL, a transfer engine) without copying the event-loop
 * implementation. Registered by the core bundle.
 *
 * <p>Any thread may call it. The creator of a pool owns it and closes it, typically in its own
 * deactivation (which runs first when it references this service statically). When the service
 * itself goes away (its bundle stops), it closes the pools still open, so no thread outlives the
 * bundle whose code it runs; their owners then see their sockets fail as on any shutdown.
 */
@ProviderType
public interface WorkerPoolFactory {
    /** The driver name that picks {@code epoll} where it is available, else {@code nio}. */
    String AUTO_DRIVER = "auto";

    /**
     * Creates and starts a pool of {@code workers} threads named {@code threadNamePrefix-N}
     * (N from 0), each running one {@link EventCenter} polling with a new driver of the named
     * kind. Returns once every thread runs (bounded: a thread that does not start within 10 s
     * fails the call). Nothing is left running when the call fails.
     *
     * @param threadNamePrefix thread name prefix, not empty
     * @param workers the number of threads, 1..64
     * @param driverName {@code epoll}, {@code nio} or {@link #AUTO_DRIVER}
     * @throws IOException if no available driver has that name, or the operating system refuses
     *     a driver (for example, out of descriptors)
     * @throws IllegalArgumentException if the prefix is empty or the count out of range
     */
    WorkerPool create(String threadNamePrefix, int workers, String driverName) throws IOException;
}
