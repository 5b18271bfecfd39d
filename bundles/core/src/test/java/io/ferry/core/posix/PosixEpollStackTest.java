package io.ferry.core.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.NetworkStack;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.testkit.NetworkStackContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The {@link NetworkStackContract} on the posix stack with the epoll driver and native sockets. */
class PosixEpollStackTest extends NetworkStackContract {

    @Override
    protected NetworkStack startStack() throws Exception {
        EpollDriverFactory factory = new EpollDriverFactory();
        assumeTrue(factory.isAvailable(), "epoll is not available on this machine");
        PosixNetworkStack stack = new PosixNetworkStack("test", factory, 2);
        stack.start();
        assertEquals("epoll", stack.driverName());
        assertEquals("native", stack.socketProviderName());
        return stack;
    }

    @Override
    protected void stopStack(NetworkStack stack) {
        PosixNetworkStack posix = (PosixNetworkStack) stack;
        assertTrue(posix.stop(5_000), "every worker thread of the posix stack must end within 5 s");
        assertEquals(0, posix.openSockets(), "the stack's tracker must be empty after stop");
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
