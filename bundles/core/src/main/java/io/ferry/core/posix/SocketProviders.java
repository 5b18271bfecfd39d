package io.ferry.core.posix;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.nio.NioSocketProvider;

/** Chooses the socket provider a driver can poll. */
final class SocketProviders {
    private SocketProviders() {
    }

    static SocketProvider forDriver(EventDriverFactory factory) {
        if (factory.pollsFileDescriptors()) {
            return new NativeSocketProvider();
        }
        return new NioSocketProvider();
    }
}
