package io.ferry.core.event;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.nio.NioDriverFactory;

/** The event loop tests over the portable NIO selector driver, with a JDK pipe as the pollable. */
class NioEventCenterTest extends AbstractEventCenterTest {
    private final NioDriverFactory factory = new NioDriverFactory();

    @Override
    EventDriverFactory factory() {
        return factory;
    }

    @Override
    TestSignal openSignal() throws Exception {
        return TestSignal.pipe();
    }
}
