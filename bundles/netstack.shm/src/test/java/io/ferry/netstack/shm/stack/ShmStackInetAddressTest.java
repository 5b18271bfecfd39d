package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.testkit.EventLoops;
import io.ferry.unix.UnixException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shm stack's IP:port addresses: {@code node/inet/<ip>:<port>} listener names. */
class ShmStackInetAddressTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
    @RegisterExtension
    final RunningShmStack running = new RunningShmStack("shm-inet");
    private ShmNetworkStack stack;

    @BeforeEach
    void takeTheRunningStack() {
        stack = running.stack();
    }

    @Test
    void portZeroListenerReportsAnInetAddressAndEchoesBothWays() throws Exception {
        ServerSocket listener = stack.listen(LOOPBACK_ANY_PORT, SocketOptions.DEFAULT, null);
        InetSocketAddress bound = assertInstanceOf(InetSocketAddress.class, listener.localAddress());
        assertEquals(InetAddress.getByName("127.0.0.1"), bound.getAddress());
        assertTrue(bound.getPort() >= 32768 && bound.getPort() < 61000, "port " + bound.getPort());
        assertTrue(stack.server().nodeListener("node/inet/127.0.0.1:" + bound.getPort()) != null,
                "registered under its documented name");

        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
        ConnectedSocket connector = stack.connect(bound, SocketOptions.DEFAULT, null);
        ConnectedSocket acceptor = EventLoops.await(accepted, BOUND, "accepting");

        assertEquals(1, EventLoops.callAndWait(connector.worker().center(), connector::isConnected, BOUND), "connected");
        assertEquals(bound, connector.remoteAddress());
        assertEquals(bound, acceptor.localAddress());
        InetSocketAddress connectorLocal = assertInstanceOf(InetSocketAddress.class, connector.localAddress());
        assertEquals(InetAddress.getByName("127.0.0.1"), connectorLocal.getAddress());
        assertEquals(connectorLocal, acceptor.remoteAddress(), "the acceptor sees the connector's address");

        byte[] ping = "ping over a made-up IP".getBytes(StandardCharsets.US_ASCII);
        writeAll(connector, ping);
        assertArrayEquals(ping, readExactly(acceptor, ping.length));
        byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
        writeAll(acceptor, pong);
        assertArrayEquals(pong, readExactly(connector, pong.length));

        connector.close();
        acceptor.close();
        listener.close();
        EventLoops.awaitCondition(() -> stack.server().nodeListener("node/inet/127.0.0.1:" + bound.getPort()) == null,
                BOUND, "the name free again after close");
    }

    @Test
    void portZeroPicksAPortUniqueWithinTheStackAndAFixedPortIsExclusive() throws Exception {
        ServerSocket first = stack.listen(LOOPBACK_ANY_PORT, SocketOptions.DEFAULT, null);
        ServerSocket second = stack.listen(LOOPBACK_ANY_PORT, SocketOptions.DEFAULT, null);
        int p1 = ((InetSocketAddress) first.localAddress()).getPort();
        int p2 = ((InetSocketAddress) second.localAddress()).getPort();
        assertNotEquals(p1, p2);

        InetSocketAddress fixed = new InetSocketAddress("127.0.0.1", 6789);
        ServerSocket third = stack.listen(fixed, SocketOptions.DEFAULT, null);
        assertEquals(fixed, third.localAddress());
        UnixException inUse = assertThrows(UnixException.class, () -> stack.listen(fixed, SocketOptions.DEFAULT, null));
        assertEquals(Errno.EADDRINUSE, inUse.errno());
        // another IP with the same port is another name
        ServerSocket other = stack.listen(new InetSocketAddress("127.0.0.2", 6789), SocketOptions.DEFAULT, null);
        assertEquals(new InetSocketAddress("127.0.0.2", 6789), other.localAddress());
        first.close();
        second.close();
        third.close();
        other.close();
    }

    @Test
    void connectingToAnAddressNobodyListensOnIsRefused() throws Exception {
        ConnectedSocket s = stack.connect(new InetSocketAddress("127.0.0.1", 1), SocketOptions.DEFAULT, null);
        int connected = EventLoops.callAndWait(s.worker().center(), s::isConnected, BOUND);
        assertEquals(-Errno.ECONNREFUSED, connected, Errno.name(connected));
        s.close();
        assertThrows(java.io.IOException.class, () -> stack.connect(
                InetSocketAddress.createUnresolved("example.invalid", 1), SocketOptions.DEFAULT, null));
    }

    @Test
    void aWildcardListenerIsReachedThroughAnyAddressOfItsPort() throws Exception {
        ServerSocket listener = stack.listen(new InetSocketAddress("0.0.0.0", 7001), SocketOptions.DEFAULT, null);
        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
        ConnectedSocket connector = stack.connect(new InetSocketAddress("127.0.0.1", 7001), SocketOptions.DEFAULT, null);
        ConnectedSocket acceptor = EventLoops.await(accepted, BOUND, "accepting");
        writeAll(connector, new byte[] {42});
        assertArrayEquals(new byte[] {42}, readExactly(acceptor, 1));
        connector.close();
        acceptor.close();
        listener.close();
    }

    @Test
    void shmAddressesKeepTheirNames() throws Exception {
        ServerSocket listener = stack.listen(ShmAddress.of("svc"), SocketOptions.DEFAULT, null);
        assertEquals(ShmAddress.of("node/svc"), listener.localAddress());
        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
        ConnectedSocket connector = stack.connect(listener.localAddress(), SocketOptions.DEFAULT, null);
        ConnectedSocket acceptor = EventLoops.await(accepted, BOUND, "accepting");
        assertInstanceOf(ShmAddress.class, connector.localAddress());
        assertEquals(connector.localAddress(), acceptor.remoteAddress());
        connector.close();
        acceptor.close();
        listener.close();
    }

    private static void writeAll(ConnectedSocket s, byte[] bytes) throws Exception {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        EventCenter loop = s.worker().center();
        EventLoops.awaitCondition(() -> {
            try {
                int n = EventLoops.callAndWait(loop, () -> s.write(src), BOUND);
                assertTrue(n >= 0 || n == -Errno.EAGAIN, "write: " + Errno.name(n));
                return !src.hasRemaining();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, BOUND, "writing " + bytes.length + " bytes");
    }

    private static byte[] readExactly(ConnectedSocket s, int length) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocate(length);
        EventCenter loop = s.worker().center();
        EventLoops.awaitCondition(() -> {
            try {
                dst.clear().limit(length - got.size());
                int n = EventLoops.callAndWait(loop, () -> s.read(dst), BOUND);
                assertTrue(n > 0 || n == -Errno.EAGAIN, "read: " + Errno.name(n));
                got.write(dst.array(), 0, dst.position());
                return got.size() == length;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, BOUND, "reading " + length + " bytes");
        return got.toByteArray();
    }

}
