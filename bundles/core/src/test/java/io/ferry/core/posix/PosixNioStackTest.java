package io.ferry.core.posix;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.nio.NioDriverFactory;

/** The NetworkStack contract on the posix stack with the portable NIO driver and JDK channels. */
class PosixNioStackTest extends PosixStackContractTest {
    @Override
    EventDriverFactory driverFactory() {
        return new NioDriverFactory();
    }

    @Override
    String expectedSocketProvider() {
        return "nio";
    }
}
