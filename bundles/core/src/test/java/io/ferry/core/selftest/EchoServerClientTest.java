package io.ferry.core.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.nio.NioDriverFactory;
import io.ferry.core.posix.PosixNetworkStack;
import io.ferry.testkit.EventLoops;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The self-test echo server and client over the posix stack, on each event driver: every byte
 * verified, and every socket closed on success, refusal, timeout, a peer that hangs up, and the
 * stack stopping.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoServerClientTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final InetSocketAddress LOOPBACK_ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private PosixNetworkStack stack;
    private EchoServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (stack != null) {
            stack.stop(5_000);
        }
    }

    private void startStack(String driver) throws Exception {
        EventDriverFactory factory = driver.equals("epoll") ? new EpollDriverFactory() : new NioDriverFactory();
        assumeTrue(factory.isAvailable(), driver + " is not available here");
        stack = new PosixNetworkStack("selftest-" + driver, factory, 2);
        stack.start();
    }

    private void startServer() throws Exception {
        server = EventLoops.await(EchoServer.start(stack, LOOPBACK_ANY, SocketOptions.DEFAULT), BOUND, "server start");
    }

    private static EchoClient.Settings settings(int connections, int size, int messages, long timeoutMillis) {
        return new EchoClient.Settings(connections, size, messages, timeoutMillis, SocketOptions.DEFAULT);
    }

    private void awaitOpenSockets(int expected) throws InterruptedException {
        EventLoops.awaitCondition(() -> stack.openSockets() == expected, BOUND,
                "open sockets going to " + expected + " (now " + stack.openSockets() + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldEchoEveryByteOfSmallAndPageSizedMessages(String driver) throws Exception {
        startStack(driver);
        startServer();

        for (int size : new int[] {1, 64, 4096}) {
            EchoClient.Result r = EventLoops.await(
                    EchoClient.run(stack, server.localAddress(), settings(3, size, 200, 20_000)), BOUND, "echo");
            assertEquals(600, r.messages());
            assertEquals(600L * size, r.bytes());
            assertTrue(r.rttP50Nanos() > 0 && r.rttP50Nanos() <= r.rttP99Nanos() && r.rttP99Nanos() <= r.rttMaxNanos());
        }
        assertEquals(9, server.acceptedConnections());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldEchoMessagesLargerThanTheSocketBuffersThroughPartialWrites(String driver) throws Exception {
        startStack(driver);
        startServer();

        EchoClient.Result r = EventLoops.await(
                EchoClient.run(stack, server.localAddress(), settings(2, 4 << 20, 3, 20_000)), BOUND, "large echo");

        assertEquals(6, r.messages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldCloseEveryConnectionAfterSuccessAndTheListenerOnClose(String driver) throws Exception {
        startStack(driver);
        startServer();

        EventLoops.await(EchoClient.run(stack, server.localAddress(), settings(4, 64, 10, 20_000)), BOUND, "echo");
        awaitOpenSockets(1);
        EventLoops.awaitCondition(() -> server.openConnections() == 0, BOUND, "server connections closing");
        server.close();

        awaitOpenSockets(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldReportConnectionRefusedAndCloseTheSockets(String driver) throws Exception {
        startStack(driver);
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }

        Throwable failure = failureOf(EchoClient.run(stack, nobody, settings(2, 64, 10, 20_000)));

        assertInstanceOf(EchoClient.EchoException.class, failure);
        assertTrue(failure.getMessage().contains("ECONNREFUSED"), failure.getMessage());
        awaitOpenSockets(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldTimeOutAgainstAServerThatNeverEchoesAndCloseTheSockets(String driver) throws Exception {
        startStack(driver);
        // The kernel completes the handshake for the backlog; nobody ever reads.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());

            Throwable failure = failureOf(EchoClient.run(stack, address, settings(2, 64, 10, 300)));

            assertInstanceOf(TimeoutException.class, failure);
            assertTrue(failure.getMessage().contains("0 of 10"), failure.getMessage());
            awaitOpenSockets(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldFailWhenTheServerHangsUpAndCloseTheSockets(String driver) throws Exception {
        startStack(driver);
        try (ServerSocket rude = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try (Socket s = rude.accept()) {
                    s.getInputStream().read();
                } catch (java.io.IOException e) {
                    // The test fails on its own if the client never connected.
                }
            });
            closer.setDaemon(true);
            closer.start();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), rude.getLocalPort());

            Throwable failure = failureOf(EchoClient.run(stack, address, settings(1, 64, 10, 20_000)));

            assertInstanceOf(EchoClient.EchoException.class, failure);
            assertTrue(failure.getMessage().contains("after 0 of 10"), failure.getMessage());
            awaitOpenSockets(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldFailARunningEchoWhenTheStackStops(String driver) throws Exception {
        startStack(driver);
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            CompletableFuture<EchoClient.Result> run = EchoClient.run(stack, address, settings(2, 64, 10, 600_000));
            EventLoops.awaitCondition(() -> stack.openSockets() == 2, BOUND, "both connections open");

            stack.stop(5_000);

            Throwable failure = failureOf(run);
            assertInstanceOf(EchoClient.EchoException.class, failure);
            assertEquals(0, stack.openSockets());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldCloseEverythingWhenTheCallerGivesUp(String driver) throws Exception {
        startStack(driver);
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            CompletableFuture<EchoClient.Result> run = EchoClient.run(stack, address, settings(3, 64, 10, 600_000));
            EventLoops.awaitCondition(() -> stack.openSockets() == 3, BOUND, "connections open");

            run.cancel(false);

            awaitOpenSockets(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void shouldSummarizeTheSelfTestAndCloseTheServer(String driver) throws Exception {
        startStack(driver);

        String summary = EventLoops.await(EchoSelfTest.run(stack, 2, 50, EchoSelfTest.DEMO_SIZES, 20_000), BOUND,
                "self-test");

        assertTrue(summary.startsWith("driver " + driver), summary);
        assertTrue(summary.contains("2 x 50 msgs of 64 B") && summary.contains("2 x 50 msgs of 4096 B"), summary);
        assertTrue(summary.endsWith("every byte verified"), summary);
        awaitOpenSockets(0);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        return e.getCause();
    }
}
