package io.ferry.core.epoll;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.jna.LibC;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code epoll} {@link EventDriverFactory} service: Linux epoll through JNA, able to wait on
 * any file descriptor. Registered everywhere; {@link #isAvailable()} is true only on Linux
 * (x86-64, aarch64) where JNA binds libc, and consumers pick another driver otherwise.
 *
 * <p>Any thread may call it. Drivers it created keep working after the component deactivates,
 * until their owners close them.
 */
@Component(service = EventDriverFactory.class,
        property = EventDriverFactory.DRIVER_PROPERTY + "=" + EpollDriver.NAME)
public final class EpollDriverFactory implements EventDriverFactory {
    private static final Logger LOG = LoggerFactory.getLogger(EpollDriverFactory.class);

    @Activate
    void activate() {
        if (!isAvailable()) {
            LOG.info("epoll event driver unavailable: {}", LibC.unavailableReason());
        }
    }

    @Override
    public String name() {
        return EpollDriver.NAME;
    }

    /** @return true on Linux with a supported architecture once JNA bound libc. */
    @Override
    public boolean isAvailable() {
        return LibC.isAvailable();
    }

    /** @return true: epoll waits on raw file descriptors. */
    @Override
    public boolean pollsFileDescriptors() {
        return true;
    }

    /**
     * @return a new driver with {@value EpollDriver#DEFAULT_MAX_EVENTS} events per poll
     * @throws IOException if epoll is not available (with the reason) or out of descriptors
     */
    @Override
    public EventDriver create() throws IOException {
        return new EpollDriver();
    }

    @Override
    public String toString() {
        return "epoll driver factory" + (isAvailable() ? "" : " (unavailable: " + LibC.unavailableReason() + ")");
    }
}
