package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.NetworkStack;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorkerPool;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.testkit.NetworkStackContract;
import io.ferry.unix.Unix;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The foundation's {@link NetworkStackContract} on the {@code shm} stack (epoll workers, a real control server). */
class ShmStackContractTest extends NetworkStackContract {

    private Path dir;

    @Override
    protected NetworkStack startStack() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        dir = Files.createTempDirectory("ferry-shm-contract");
        ShmNetworkStack stack = new ShmNetworkStack(EventLoopWorkerPool.start("shm-test", 2, new EpollDriverFactory()),
                ShmControlServer.Config.defaults(dir.resolve("sock").resolve("shm.sock")));
        stack.start();
        assertEquals("shm", stack.type());
        return stack;
    }

    @Override
    protected void stopStack(NetworkStack stack) throws Exception {
        ShmNetworkStack shm = (ShmNetworkStack) stack;
        assertTrue(shm.stop(5_000), "every worker of the shm stack must end within 5 s");
        assertEquals(0, shm.openSockets(), "the stack's tracker must be empty after stop");
        assertEquals(0, shm.server().liveChannels());
        Files.deleteIfExists(dir.resolve("sock"));
        Files.deleteIfExists(dir);
    }

    @Override
    protected SocketAddress listenAddress() {
        return ShmAddress.ephemeral();
    }
}
