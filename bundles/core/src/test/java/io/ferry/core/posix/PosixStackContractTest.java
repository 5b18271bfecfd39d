package io.ferry.core.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.net.NetworkStack;
import io.ferry.testkit.NetworkStackContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The {@link NetworkStackContract} on the posix stack with one event driver; a subclass per
 * driver names the driver and the socket provider it must bring.
 */
abstract class PosixStackContractTest extends NetworkStackContract {

    /** @return a new factory of the driver under test. */
    abstract EventDriverFactory driverFactory();

    /** @return the socket provider the stack must choose for that driver. */
    abstract String expectedSocketProvider();

    @Override
    protected NetworkStack startStack() throws Exception {
        EventDriverFactory factory = driverFactory();
        assumeTrue(factory.isAvailable(), factory.name() + " is not available on this machine");
        PosixNetworkStack stack = new PosixNetworkStack("test", factory, 2);
        stack.start();
        assertEquals(factory.name(), stack.driverName());
        assertEquals(expectedSocketProvider(), stack.socketProviderName());
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
