package io.ferry.api.event;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The OSGi service for an event driver kind. Registered with the service property
 * {@value #DRIVER_PROPERTY} naming the driver ({@code epoll}, {@code nio}). A stack or event
 * center asks it for one {@link EventDriver} per event loop.
 *
 * <p>Any thread may call it. When the factory's bundle stops, drivers it created keep working
 * until their owners close them; owners that track the service close them when it goes away.
 */
@ProviderType
public interface EventDriverFactory {
    /** Service property holding the driver name. */
    String DRIVER_PROPERTY = "ferry.driver";

    /** @return the driver name, equal to the {@value #DRIVER_PROPERTY} property. */
    String name();

    /** @return true if drivers can be created on this machine (for example epoll on Linux). */
    boolean isAvailable();

    /** @return true if drivers of this kind wait on raw file descriptors. */
    boolean pollsFileDescriptors();

    /**
     * Creates a new driver for one event loop.
     *
     * @throws IOException if the operating system refuses (for example, out of descriptors)
     */
    EventDriver create() throws IOException;
}
