package io.ferry.core.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.NetworkStack;
import io.ferry.core.nio.NioDriverFactory;
import io.ferry.testkit.NetworkStackContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The {@link NetworkStackContract} on the posix stack with the portable NIO driver and JDK channels. */
class PosixNioStackTest extends NetworkStackContract {

    @Override
    protected NetworkStack startStack() throws Exception {
        NioDriverFactory factory = new NioDriverFactory();
        assumeTrue(factory.isAvailable(), "the NIO driver is not available");
        PosixNetworkStack stack = new PosixNetworkStack("test", factory, 2);
        stack.start();
        assertEquals("nio", stack.driverName());
        assertEquals("nio", stack.socketProviderName());
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
