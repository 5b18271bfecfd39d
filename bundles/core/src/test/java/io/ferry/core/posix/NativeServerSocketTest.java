package io.ferry.core.posix;

import static io.ferry.core.posix.NativeSocketFixture.await;
import static io.ferry.core.posix.NativeSocketFixture.loopback;
import static io.ferry.core.posix.NativeSocketFixture.onLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.jna.LibC;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NativeServerSocketTest {
    private NativeSocketFixture f;

    @BeforeAll
    static void requireNativeSockets() {
        assumeTrue(NativeSocketProvider.isAvailable(), () -> "native sockets unavailable: " + LibC.unavailableReason());
    }

    @BeforeEach
    void start() throws IOException {
        f = new NativeSocketFixture();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void shouldReturnNullWhenNoConnectionIsPending() throws Exception {
        ServerSocket listener = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        assertNull(onLoop(f.first, () -> listener.accept(SocketOptions.DEFAULT, f.first)));
    }

    @Test
    void shouldAssignAcceptedConnectionsToTheTargetWorkerAndCountItsLoad() throws Exception {
        ServerSocket listener = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        assertEquals(1, f.first.load());
        ConnectedSocket client = f.provider.connect((InetSocketAddress) listener.localAddress(),
                SocketOptions.DEFAULT, f.first, f.tracker);
        assertEquals(2, f.first.load());

        ConnectedSocket accepted = await(f.first, () -> listener.accept(SocketOptions.DEFAULT, f.second),
                s -> s != null);
        assertSame(f.second, accepted.worker());
        assertEquals(1, f.second.load());
        assertEquals(1, (int) onLoop(f.second, accepted::isConnected));

        accepted.close();
        client.close();
        listener.close();
        f.awaitAllClosed();
        assertEquals(0, f.first.load());
        assertEquals(0, f.second.load());
    }

    @Test
    void shouldUseTheListenersWorkerWhenNoTargetIsGiven() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.second);
        f.provider.connect((InetSocketAddress) p.listener().localAddress(), SocketOptions.DEFAULT, f.second, f.tracker);
        ConnectedSocket accepted = await(f.second, () -> p.listener().accept(null, null), s -> s != null);
        assertSame(f.second, accepted.worker());
    }

    @Test
    void shouldRejectAWorkerThatIsNotAnEventLoopWorker() throws Exception {
        ServerSocket listener = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        Worker foreign = new Worker() {
            @Override
            public int id() {
                return 9;
            }

            @Override
            public EventCenter center() {
                return f.first.center();
            }

            @Override
            public int load() {
                return 0;
            }

            @Override
            public void acquire() {
            }

            @Override
            public void release() {
            }

            @Override
            public long eventsProcessed() {
                return 0;
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        };
        assertThrows(IllegalArgumentException.class, () -> onLoop(f.first, () -> listener.accept(null, foreign)));
    }

    @Test
    void shouldRefuseToBindAnAddressInUseWithABindException() throws Exception {
        ServerSocket listener = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        int before = f.tracker.size();
        BindException e = assertThrows(BindException.class, () -> f.provider.listen(
                (InetSocketAddress) listener.localAddress(), SocketOptions.DEFAULT, f.first, f.tracker));
        assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
        assertEquals(before, f.tracker.size(), "nothing half-made is left behind");
    }

    @Test
    void shouldListenAndConnectOverIpv6Loopback() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        ServerSocket listener;
        try {
            listener = f.provider.listen(new InetSocketAddress(v6, 0), SocketOptions.DEFAULT, f.first, f.tracker);
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
            return;
        }
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        assertInstanceOf(Inet6Address.class, bound.getAddress());
        ConnectedSocket client = f.provider.connect(bound, SocketOptions.DEFAULT, f.first, f.tracker);
        ConnectedSocket accepted = await(f.first, () -> listener.accept(SocketOptions.DEFAULT, f.first), s -> s != null);
        assertEquals(1, (int) await(f.first, client::isConnected, c -> c != 0));
        assertEquals(client.localAddress(), accepted.remoteAddress());
    }

    @Test
    void shouldAcceptIpv4AndIpv6ClientsOnAWildcardListener() throws Exception {
        ServerSocket listener = f.provider.listen(new InetSocketAddress(0), SocketOptions.DEFAULT, f.first, f.tracker);
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        assertTrue(((InetSocketAddress) listener.localAddress()).getAddress().isAnyLocalAddress());

        ConnectedSocket v4 = f.provider.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
                SocketOptions.DEFAULT, f.first, f.tracker);
        ConnectedSocket accepted4 = await(f.first, () -> listener.accept(null, f.first), s -> s != null);
        assertEquals(1, (int) await(f.first, v4::isConnected, c -> c != 0));
        assertEquals(InetAddress.getByName("127.0.0.1"), ((InetSocketAddress) accepted4.remoteAddress()).getAddress(),
                "IPv4-mapped peers are reported as IPv4");

        if (listener.localAddress() instanceof InetSocketAddress
                && ((InetSocketAddress) listener.localAddress()).getAddress() instanceof Inet6Address) {
            ConnectedSocket v6 = f.provider.connect(new InetSocketAddress(InetAddress.getByName("::1"), port),
                    SocketOptions.DEFAULT, f.first, f.tracker);
            await(f.first, () -> listener.accept(null, f.first), s -> s != null);
            assertEquals(1, (int) await(f.first, v6::isConnected, c -> c != 0));
        }
    }

    @Test
    void shouldNotLeakDescriptorsOverAThousandOpenCloseCycles() throws Exception {
        cycle(10);
        long before = NativeSocketFixture.openDescriptors();
        cycle(1000);
        long after = NativeSocketFixture.openDescriptors();
        assertTrue(after - before <= 3, "descriptors before " + before + ", after " + after);
        assertEquals(0, f.first.load());
        assertEquals(0, f.second.load());
    }

    /** Listens, connects, accepts on the other worker and closes all three, {@code n} times. */
    private void cycle(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            ServerSocket listener = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
            ConnectedSocket client = f.provider.connect((InetSocketAddress) listener.localAddress(),
                    SocketOptions.DEFAULT, f.first, f.tracker);
            ConnectedSocket accepted = await(f.first, () -> listener.accept(SocketOptions.DEFAULT, f.second),
                    s -> s != null);
            client.close();
            accepted.close();
            listener.close();
        }
        f.awaitAllClosed();
    }
}
