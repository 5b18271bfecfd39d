package io.ferry.core.event;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.core.epoll.EpollDriverFactory;
import org.junit.jupiter.api.BeforeEach;

/** The event loop tests over the epoll driver (JNA), with an eventfd as the pollable. */
class EpollEventCenterTest extends AbstractEventCenterTest {
    private final EpollDriverFactory factory = new EpollDriverFactory();

    @BeforeEach
    void requireEpoll() {
        assumeTrue(factory.isAvailable(), "epoll is not available on this machine");
    }

    @Override
    EventDriverFactory factory() {
        return factory;
    }

    @Override
    TestSignal openSignal() throws Exception {
        return TestSignal.eventFd();
    }
}
