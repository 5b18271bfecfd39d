package io.ferry.core.posix;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.epoll.EpollDriverFactory;

/** The NetworkStack contract on the posix stack with the epoll driver and native sockets. */
class PosixEpollStackTest extends PosixStackContractTest {
    @Override
    EventDriverFactory driverFactory() {
        return new EpollDriverFactory();
    }

    @Override
    String expectedSocketProvider() {
        return "native";
    }
}
