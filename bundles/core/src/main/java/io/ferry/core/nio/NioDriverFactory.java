package io.ferry.core.nio;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventDriverFactory;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code nio} {@link EventDriverFactory} service: {@link NioDriver}s over JDK selectors,
 * available on every platform the JDK runs on. Its drivers wait on JDK channels, not on raw file
 * descriptors, so stacks that use it create their sockets with {@link NioSocketProvider}.
 *
 * <p>Stateless; any thread may call it. Drivers it created keep working after the service goes
 * away, until their owners close them.
 */
@Component(service = EventDriverFactory.class,
        property = EventDriverFactory.DRIVER_PROPERTY + "=" + NioDriver.NAME)
public final class NioDriverFactory implements EventDriverFactory {

    @Override
    public String name() {
        return NioDriver.NAME;
    }

    /** @return always true: the JDK provides selectors everywhere. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    /** @return false: NIO drivers wait on JDK channels. */
    @Override
    public boolean pollsFileDescriptors() {
        return false;
    }

    @Override
    public EventDriver create() throws IOException {
        return new NioDriver();
    }

    @Override
    public String toString() {
        return "nio event driver factory";
    }
}
