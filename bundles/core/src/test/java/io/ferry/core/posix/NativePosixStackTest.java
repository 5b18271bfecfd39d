package io.ferry.core.posix;

import static io.ferry.core.posix.NativeSocketFixture.await;
import static io.ferry.core.posix.NativeSocketFixture.onLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventMask;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.jna.LibC;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The posix stack wired to the epoll driver uses native sockets, and its shutdown fails them cleanly. */
class NativePosixStackTest {

    @Test
    void shouldUseNativeSocketsAndFailThemWithEshutdownWhenStopped() throws Exception {
        assumeTrue(LibC.isAvailable(), () -> "epoll unavailable: " + LibC.unavailableReason());
        Set<String> descriptorsBefore = NativeSocketFixture.openSocketsAndAnonInodes();
        PosixNetworkStack stack = new PosixNetworkStack("native-stack-test", new EpollDriverFactory(), 2);
        stack.start();
        assertEquals("native", stack.socketProviderName());
        assertTrue(stack.nativeCalls().startsWith(io.ferry.core.jni.NativeIo.implementation()), stack.nativeCalls());
        assertEquals("epoll", stack.driverName());

        ServerSocket listener = stack.listen(NativeSocketFixture.loopback(), SocketOptions.DEFAULT, null);
        EventLoopWorker owner = (EventLoopWorker) listener.worker();
        ConnectedSocket client = stack.connect(listener.localAddress(), SocketOptions.DEFAULT, owner);
        ConnectedSocket accepted = await(owner, () -> listener.accept(SocketOptions.DEFAULT, owner), s -> s != null);
        assertEquals(1, (int) await(owner, client::isConnected, c -> c != 0));
        assertEquals(3, stack.openSockets());

        CompletableFuture<Integer> readAtShutdown = new CompletableFuture<>();
        onLoop(owner, () -> owner.center().createFileEvent(accepted, EventMask.READABLE,
                mask -> readAtShutdown.complete(accepted.read(ByteBuffer.allocate(8)))));

        assertTrue(stack.stop(5_000));
        assertEquals(-Errno.ESHUTDOWN, (int) readAtShutdown.get(10, TimeUnit.SECONDS),
                "the handler was fired at shutdown and its read saw ESHUTDOWN");
        assertEquals(0, stack.openSockets());
        assertFalse(client.isOpen());
        assertEquals(descriptorsBefore, NativeSocketFixture.openSocketsAndAnonInodes(), "every descriptor was released");
        assertTrue(((InetSocketAddress) listener.localAddress()).getPort() > 0);
    }
}
