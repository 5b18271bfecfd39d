package io.ferry.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link NetworkStack} keeps, written once against the API and run against
 * every implementation (as Netty's {@code SocketEchoTest} is subclassed per transport). A subclass
 * says how to start and stop its stack and where to listen; it gets the whole suite.
 *
 * <p>Every test gets a freshly started stack and drives sockets the way a user does: from the
 * owning worker's event loop, reacting to readiness, through {@link AsyncStream} and friends.
 * Every wait is bounded ({@link #waitBound()}); nothing asserts on timing. After each test every
 * socket is closed, the stack must show every worker's load back at 0 (no socket leaked on any
 * path, failures included), and the stack is stopped.
 *
 * <p>Subclasses may tune sizes for stacks with other buffering (see the {@code protected}
 * methods), and may turn off the one test that stops the stack mid-test with
 * {@link #canStopStackInTest()}. A new stack's suite is this small:
 *
 * <pre>{@code
 * class ShmStackTest extends NetworkStackContract {
 *     protected NetworkStack startStack() throws Exception { return ShmStack.start("test", 2); }
 *     protected void stopStack(NetworkStack stack) { ((ShmStack) stack).stop(5_000); }
 *     protected SocketAddress listenAddress() { return ShmAddress.ephemeral(); }
 * }
 * }</pre>
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a safety net only: every wait below has its own bound
public abstract class NetworkStackContract {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private NetworkStack stack;
    private boolean stackStopped;

    // ---- what a subclass provides ----

    /** @return a started stack with at least one worker; called before each test. */
    protected abstract NetworkStack startStack() throws Exception;

    /** Stops the stack (bounded); called once per test, after the test's sockets are closed. */
    protected abstract void stopStack(NetworkStack stack) throws Exception;

    /** @return an address to listen on; with an ephemeral port where the stack supports one. */
    protected abstract SocketAddress listenAddress();

    /**
     * @return false if the stack cannot be stopped while a test uses it (for example a shared
     *     stack from a framework); the shutdown test is then skipped
     */
    protected boolean canStopStackInTest() {
        return true;
    }

    /** @return the options for every socket the suite opens. */
    protected SocketOptions socketOptions() {
        return SocketOptions.DEFAULT;
    }

    /** @return the bound of every single wait. */
    protected Duration waitBound() {
        return Duration.ofSeconds(30);
    }

    /** @return the bound of the large transfer. */
    protected Duration largeTransferBound() {
        return Duration.ofMinutes(3);
    }

    /** @return bytes sent each way by the large transfer. */
    protected long largeTransferBytes() {
        return 64L << 20;
    }

    /** @return concurrent connections opened by the many-connections test. */
    protected int manyConnections() {
        return 500;
    }

    /**
     * @return the largest spread (most loaded minus least loaded worker) allowed after the
     *     many-connections test opened its sockets. Two threads choose workers concurrently there
     *     (the test connecting, the listener's loop accepting), so a choice can be one assignment
     *     stale; the default leaves room for that and nothing more.
     */
    protected int loadSpreadTolerance() {
        return 4;
    }

    /** @return bytes the back-pressure writer offers in all; more than the stack can buffer. */
    protected long backPressurePayloadBytes() {
        return 32L << 20;
    }

    /**
     * @return the most bytes a stack may take from a writer while the reader reads nothing (its
     *     buffers, both ends); the back-pressure test uses small socket buffers
     */
    protected long backPressureLimitBytes() {
        return 16L << 20;
    }

    // ---- fixture ----

    /** @return the stack under test. */
    protected final NetworkStack stack() {
        return stack;
    }

    /** Closes {@code resource} after the test, before the stack stops, whatever the outcome. */
    protected final <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    @BeforeEach
    final void startTheStack() throws Exception {
        stack = startStack();
        assertNotNull(stack, "startStack() returned null");
        assertFalse(stack.workers().isEmpty(), "the stack has no workers");
    }

    @AfterEach
    final void closeEverythingAndStopTheStack() throws Exception {
        Throwable failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Throwable t) {
                failure = add(failure, t);
            }
        }
        if (stack != null && !stackStopped) {
            try {
                awaitLoadsZero("after the test closed all its sockets");
            } catch (Throwable t) {
                failure = add(failure, t);
            }
            stackStopped = true;
            try {
                assertTimeoutPreemptively(waitBound(), () -> stopStack(stack), "stopping the stack");
            } catch (Throwable t) {
                failure = add(failure, t);
            }
        }
        if (failure instanceof Exception) {
            throw (Exception) failure;
        }
        if (failure != null) {
            throw (Error) failure;
        }
    }

    private static Throwable add(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    // ---- the contract ----

    @Test
    void listenerReportsItsBoundAddressCountsItsLoadAndAcceptsNothingWhenIdle() throws Exception {
        Worker worker = stack.leastLoadedWorker();
        ServerSocket listener = closeLater(stack.listen(listenAddress(), socketOptions(), worker));
        SocketAddress bound = listener.localAddress();
        assertNotNull(bound, "a listener must know its bound address");
        if (listenAddress() instanceof InetSocketAddress && ((InetSocketAddress) listenAddress()).getPort() == 0) {
            assertNotEquals(0, ((InetSocketAddress) bound).getPort(), "port 0 asked for: the real port must be reported");
        }
        assertSame(worker, listener.worker());
        assertEquals(1, worker.load(), "the listener counts on its worker's load");
        assertNull(EventLoops.callAndWait(worker.center(), () -> listener.accept(socketOptions(), worker), waitBound()),
                "accept with nothing pending returns null");
        listener.close();
        listener.close();
        awaitLoadsZero("after the listener closed (twice)");
    }

    @Test
    void connectionReportsMatchingEndpointsAndItsWorkers() throws Exception {
        ServerSocket listener = closeLater(stack.listen(listenAddress(), socketOptions(), stack.leastLoadedWorker()));
        CompletableFuture<ConnectedSocket> acceptedFuture = AsyncServer.acceptOne(stack, listener, socketOptions());
        Worker clientWorker = stack.workers().get(stack.workers().size() - 1);
        ConnectedSocket client = closeLater(stack.connect(listener.localAddress(), socketOptions(), clientWorker));
        ConnectedSocket accepted = closeLater(EventLoops.await(acceptedFuture, waitBound(), "accepting the connection"));
        assertEquals(1, awaitConnected(client), "the connect must succeed");

        assertSame(clientWorker, client.worker(), "the socket belongs to the worker it was given");
        assertNotNull(accepted.worker());
        assertEquals(3, totalLoad(), "listener + client + accepted connection count on the workers' loads");
        assertTrue(client.isOpen() && accepted.isOpen());
        assertEquals(1, EventLoops.callAndWait(accepted.worker().center(), accepted::isConnected, waitBound()),
                "an accepted socket is connected");
        assertEquals(client.localAddress(), accepted.remoteAddress(), "client's local address = server side's peer");
        assertEquals(client.remoteAddress(), accepted.localAddress(), "client's peer = server side's local address");
    }

    @Test
    void readIntoABufferWithNoRoomIsAnErrorNotEndOfStream() throws Exception {
        ServerSocket listener = closeLater(stack.listen(listenAddress(), socketOptions(), stack.leastLoadedWorker()));
        CompletableFuture<ConnectedSocket> acceptedFuture = AsyncServer.acceptOne(stack, listener, socketOptions());
        ConnectedSocket client = closeLater(stack.connect(listener.localAddress(), socketOptions(),
                stack.leastLoadedWorker()));
        closeLater(EventLoops.await(acceptedFuture, waitBound(), "accepting the connection"));
        assertEquals(1, awaitConnected(client));
        ByteBuffer full = ByteBuffer.allocate(8).position(8);
        int r = EventLoops.callAndWait(client.worker().center(), () -> client.read(full), waitBound());
        assertEquals(-Errno.EINVAL, r, "0 must only ever mean end of stream; was " + describe(r));
        int empty = EventLoops.callAndWait(client.worker().center(), () -> client.read(ByteBuffer.allocate(0)),
                waitBound());
        assertEquals(-Errno.EINVAL, empty, describe(empty));
    }

    @Test
    void echoesSmallMessagesInOrder() throws Exception {
        AsyncServer server = closeLater(AsyncEchoServer.start(stack, listenAddress(), socketOptions(), waitBound()));
        List<EchoClient> clients = new ArrayList<>();
        for (Worker worker : stack.workers()) {
            clients.add(closeLater(EchoClient.start(stack, server.localAddress(), socketOptions(), worker,
                    smallMessages(worker.id(), 200))));
        }
        for (EchoClient client : clients) {
            EventLoops.await(client.done(), waitBound(), "200 small messages echoed");
        }
        assertEquals(clients.size(), server.accepted());
        assertEquals(List.of(), server.acceptErrors());
        assertEquals(List.of(), server.failures());
    }

    @Test
    void transfersLargeStreamsBothWaysIntactWithGatheringSends() throws Exception {
        long total = largeTransferBytes();
        AsyncServer server = closeLater(AsyncEchoServer.start(stack, listenAddress(), socketOptions(), waitBound()));
        PatternSource source = new PatternSource(new BytePattern(0xB16L), total, 64 << 10, 42);
        PatternPump pump = PatternPump.echo(source, 1 << 20);
        ConnectedSocket socket = stack.connect(server.localAddress(), socketOptions(), stack.leastLoadedWorker());
        AsyncStream stream = EventLoops.await(AsyncStream.attach(socket, pump), waitBound(), "attaching the client");
        closeLater(stream::close);

        PatternVerifier echoed = EventLoops.await(pump.received(), largeTransferBound(),
                "the echo of " + total + " bytes");
        assertEquals(total, EventLoops.await(pump.sent(), waitBound(), "the whole stream sent"));
        assertTrue(echoed.isIntact(total), echoed.describe());
        assertEquals(source.crc(), echoed.crc(), "CRC-32C of what was sent and what came back");
        assertTrue(stream.maxSegmentsOffered() >= 16,
                "sends must have been offered many segments at once, got " + stream.maxSegmentsOffered());
        assertNull(stream.error());
        assertEquals(0, stream.failure());
        assertEquals(List.of(), server.failures());
    }

    @Test
    void halfCloseDeliversEndOfStreamWhileTheReplyStillFlows() throws Exception {
        BytePattern request = new BytePattern(1);
        BytePattern reply = new BytePattern(2);
        int requestBytes = 200 << 10;
        int replyBytes = 1 << 20;
        CompletableFuture<PatternVerifier> serverSawEof = new CompletableFuture<>();
        CompletableFuture<AsyncStream> serverStream = new CompletableFuture<>();
        AsyncServer server = closeLater(AsyncServer.start(stack, listenAddress(), socketOptions(),
                AsyncStream.DEFAULT_READ_BUFFER, () -> new AsyncStream.Listener() {
                    final PatternVerifier got = new PatternVerifier(request);

                    @Override
                    public void onConnected(AsyncStream s) {
                        serverStream.complete(s);
                    }

                    @Override
                    public void onData(AsyncStream s, ByteBuffer data) {
                        got.accept(data);
                    }

                    @Override
                    public void onEndOfStream(AsyncStream s) {
                        // The client shut its output: the server reads 0, and can still answer.
                        serverSawEof.complete(got);
                        s.send(new PatternSource(reply, replyBytes, 16 << 10, 3).next(replyBytes));
                        s.shutdownOutputWhenFlushed();
                    }

                    @Override
                    public void onFailed(AsyncStream s, int errno) {
                        serverSawEof.completeExceptionally(new StreamFailedException("server side", errno));
                    }
                }, waitBound()));

        PatternVerifier clientGot = new PatternVerifier(reply);
        CompletableFuture<PatternVerifier> clientSawEof = new CompletableFuture<>();
        ConnectedSocket socket = stack.connect(server.localAddress(), socketOptions(), stack.leastLoadedWorker());
        AsyncStream client = EventLoops.await(AsyncStream.attach(socket, new AsyncStream.Listener() {
            @Override
            public void onConnected(AsyncStream s) {
                s.send(request.bytes(0, requestBytes));
                s.shutdownOutputWhenFlushed();
            }

            @Override
            public void onData(AsyncStream s, ByteBuffer data) {
                clientGot.accept(data);
            }

            @Override
            public void onEndOfStream(AsyncStream s) {
                clientSawEof.complete(clientGot);
            }

            @Override
            public void onFailed(AsyncStream s, int errno) {
                clientSawEof.completeExceptionally(new StreamFailedException("client side", errno));
            }
        }), waitBound(), "attaching the client");
        closeLater(client::close);

        PatternVerifier atServer = EventLoops.await(serverSawEof, waitBound(), "the server reading end of stream");
        assertTrue(atServer.isIntact(requestBytes), "before end of stream the server got " + atServer.describe());
        PatternVerifier atClient = EventLoops.await(clientSawEof, waitBound(), "the client reading the reply, then end of stream");
        assertTrue(atClient.isIntact(replyBytes), "after half-closing, the client got " + atClient.describe());

        // Both directions are finished on both sides: each stream closes itself, cleanly.
        AsyncStream atServerSide = EventLoops.await(serverStream, waitBound(), "the server side stream");
        EventLoops.await(client.whenClosed(), waitBound(), "the client stream closing after both directions ended");
        EventLoops.await(atServerSide.whenClosed(), waitBound(), "the server stream closing after both directions ended");
        assertEquals(0, client.failure(), "client side failure");
        assertEquals(0, atServerSide.failure(), "server side failure");
        assertNull(client.error());
        assertNull(atServerSide.error());
    }

    @Test
    void backPressureStopsTheWriterUntilTheReaderDrainsAndLosesNothing() throws Exception {
        long total = backPressurePayloadBytes();
        SocketOptions small = socketOptions().withSendBufferSize(128 << 10).withReceiveBufferSize(128 << 10);
        BytePattern pattern = new BytePattern(7);
        CompletableFuture<PatternPump> readerPump = new CompletableFuture<>();
        AsyncServer server = closeLater(AsyncServer.start(stack, listenAddress(), small, AsyncStream.DEFAULT_READ_BUFFER,
                () -> {
                    PatternPump reader = new PatternPump(null, 0, new PatternVerifier(pattern), total, true, false);
                    readerPump.complete(reader);
                    return reader;
                }, waitBound()));

        PatternPump writer = new PatternPump(new PatternSource(pattern, total, 64 << 10, 8), 256 << 10, null, 0,
                false, false);
        ConnectedSocket socket = stack.connect(server.localAddress(), small, stack.leastLoadedWorker());
        AsyncStream writing = EventLoops.await(AsyncStream.attach(socket, writer), waitBound(), "attaching the writer");
        closeLater(writing::close);

        long takenWhileNotReading = EventLoops.await(writer.backPressured(), waitBound(),
                "a send refused while the reader reads nothing (the stack must push back, not buffer "
                        + total + " bytes)");
        PatternPump reader = EventLoops.await(readerPump, waitBound(), "the reader's connection");
        AsyncStream reading = EventLoops.await(reader.connected(), waitBound(), "the reader's stream");
        assertEquals(0, reading.bytesRead(), "the reader has not read yet");
        assertTrue(takenWhileNotReading < total, "the stack took everything without a reader");
        assertTrue(takenWhileNotReading <= backPressureLimitBytes(), "the stack took " + takenWhileNotReading
                + " bytes while nobody read: its memory is not bounded by " + backPressureLimitBytes());
        assertFalse(writer.sent().isDone(), "the writer cannot have finished");

        EventLoops.runAndWait(reading.center(), reading::resumeReading, waitBound());
        PatternVerifier got = EventLoops.await(reader.received(), waitBound(), "every byte arriving once the reader reads");
        assertEquals(total, EventLoops.await(writer.sent(), waitBound(), "the writer finishing"));
        assertTrue(got.isIntact(total), got.describe());
        assertEquals(writer.source().crc(), got.crc());
        assertTrue(writing.writableResumes() >= 1, "the writer must have resumed on WRITABLE events");
        assertTrue(writing.blockedSends() >= 1);
        assertNull(writing.error());
        assertNull(reading.error());
    }

    @Test
    void refusedConnectIsReportedThroughWritableNotThrown() throws Exception {
        Worker worker = stack.leastLoadedWorker();
        ServerSocket probe = stack.listen(listenAddress(), socketOptions(), worker);
        SocketAddress nobodyListens = probe.localAddress();
        EventLoops.runAndWait(worker.center(), probe::close, waitBound()); // closed for sure before connecting

        ConnectedSocket socket = closeLater(assertDoesNotThrow(
                () -> stack.connect(nobodyListens, socketOptions(), worker), "a refused connect must not throw"));
        int state = awaitConnected(socket);
        assertEquals(-Errno.ECONNREFUSED, state, "isConnected() after WRITABLE: " + Errno.name(state));

        // The failure sticks: the socket is only good for close(), and it must not pass for a
        // connection that ended normally (a read returning 0) or one that is merely busy (-EAGAIN).
        int read = EventLoops.callAndWait(worker.center(), () -> socket.read(ByteBuffer.allocate(64)), waitBound());
        assertTrue(read < 0 && read != -Errno.EAGAIN, "read on a refused socket must return an errno, returned "
                + describe(read));
        long sent = EventLoops.callAndWait(worker.center(), () -> socket.send(BufferList.ofUtf8("x"), false), waitBound());
        assertTrue(sent < 0 && sent != -Errno.EAGAIN, "send on a refused socket must return an errno, returned "
                + describe(sent));
        socket.close();
        assertFalse(socket.isOpen());
    }

    @Test
    void readAndSendFailWithoutHangingWhenThePeerClosesWithUnreadData() throws Exception {
        ServerSocket listener = closeLater(stack.listen(listenAddress(), socketOptions(), stack.leastLoadedWorker()));
        CompletableFuture<ConnectedSocket> acceptedFuture = AsyncServer.acceptOne(stack, listener, socketOptions());
        ConnectedSocket client = closeLater(stack.connect(listener.localAddress(), socketOptions(),
                stack.leastLoadedWorker()));
        ConnectedSocket server = closeLater(EventLoops.await(acceptedFuture, waitBound(), "accepting the connection"));
        assertEquals(1, awaitConnected(client));

        // The server closes as soon as data waits unread: the kernel resets the connection.
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        EventCenter serverLoop = server.worker().center();
        EventLoops.runAndWait(serverLoop, () -> {
            FileEvent[] event = new FileEvent[1];
            event[0] = serverLoop.createFileEvent(server, EventMask.READABLE, mask -> {
                event[0].cancel();
                server.close();
                serverClosed.complete(null);
            });
        }, waitBound());
        int wrote = EventLoops.callAndWait(client.worker().center(),
                () -> client.write(ByteBuffer.wrap(new BytePattern(5).bytes(0, 8 << 10))), waitBound());
        assertTrue(wrote > 0, "write: " + wrote);
        EventLoops.await(serverClosed, waitBound(), "the server closing with unread data");

        PeerFailure seen = EventLoops.await(watchForPeerFailure(client), waitBound(),
                "the client's read and send reporting the reset");
        assertTrue(seen.read == 0 || (seen.read < 0 && seen.read != -Errno.EAGAIN),
                "read after the peer's reset must give end of stream or an errno, was " + describe(seen.read));
        assertTrue(seen.send < 0 && seen.send != -Errno.EAGAIN,
                "send after the peer's reset must give an errno, was " + describe(seen.send));
    }

    @Test
    void sendFailsWithoutHangingWhenThePeerClosesAbruptly() throws Exception {
        CompletableFuture<PatternPump> endlessWriter = new CompletableFuture<>();
        AsyncServer server = closeLater(AsyncServer.start(stack, listenAddress(), socketOptions(),
                AsyncStream.DEFAULT_READ_BUFFER, () -> {
                    PatternPump pump = new PatternPump(new PatternSource(new BytePattern(9), Long.MAX_VALUE, 32 << 10, 9),
                            256 << 10, null, 0, false, false);
                    endlessWriter.complete(pump);
                    return pump;
                }, waitBound()));

        CompletableFuture<Long> clientRead = new CompletableFuture<>();
        ConnectedSocket socket = stack.connect(server.localAddress(), socketOptions(), stack.leastLoadedWorker());
        AsyncStream client = EventLoops.await(AsyncStream.attach(socket, new AsyncStream.Listener() {
            @Override
            public void onData(AsyncStream s, ByteBuffer data) {
                if (s.bytesRead() >= 1 << 20) {
                    clientRead.complete(s.bytesRead());
                    s.close(); // abruptly, with the server still writing: data is left unread
                }
            }

            @Override
            public void onFailed(AsyncStream s, int errno) {
                clientRead.completeExceptionally(new StreamFailedException("client", errno));
            }
        }), waitBound(), "attaching the client");
        closeLater(client::close);
        EventLoops.await(clientRead, waitBound(), "the client reading 1 MiB before closing");

        PatternPump writer = EventLoops.await(endlessWriter, waitBound(), "the server's writer");
        AsyncStream writing = EventLoops.await(writer.connected(), waitBound(), "the server's stream");
        EventLoops.await(writing.whenClosed(), waitBound(), "the server's endless writer failing after the peer left");
        assertTrue(writing.failure() < 0 && writing.failure() != -Errno.EAGAIN,
                "the writer's stream must end with an errno, ended with " + writing.failure());
        assertNull(writing.error());
        assertTrue(server.failures().contains(writing.failure()));
    }

    @Test
    void spreadsManyConnectionsOverTheWorkersAndReleasesTheirLoadOnClose() throws Exception {
        int n = manyConnections();
        AsyncServer server = closeLater(AsyncEchoServer.start(stack, listenAddress(), socketOptions(), 4 << 10,
                waitBound()));
        List<EchoClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(closeLater(EchoClient.start(stack, server.localAddress(), socketOptions(),
                    stack.leastLoadedWorker(), smallMessages(1000 + i, 3))));
        }
        EventLoops.await(CompletableFuture.allOf(clients.stream().map(EchoClient::done).toArray(CompletableFuture[]::new)),
                waitBound(), n + " clients each echoing 3 messages");
        assertEquals(n, server.accepted());
        assertEquals(List.of(), server.acceptErrors());

        int[] loads = stack.workers().stream().mapToInt(Worker::load).toArray();
        assertEquals(2 * n + 1, Arrays.stream(loads).sum(), "loads " + Arrays.toString(loads)
                + " must count the listener and both ends of every connection");
        int spread = Arrays.stream(loads).max().getAsInt() - Arrays.stream(loads).min().getAsInt();
        assertTrue(spread <= loadSpreadTolerance(), "least-loaded choice must spread sockets evenly, loads "
                + Arrays.toString(loads));

        for (EchoClient client : clients) {
            client.close();
        }
        EventLoops.awaitCondition(() -> server.connectionCount() == 0, waitBound(),
                "the server closing its side of " + n + " connections after their end of stream");
        server.close();
        awaitLoadsZero("after closing " + n + " connections");
    }

    @Test
    void closeIsIdempotentFromAnyThreadEvenWhileConnecting() throws Exception {
        ServerSocket listener = stack.listen(listenAddress(), socketOptions(), stack.leastLoadedWorker());
        List<ConnectedSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sockets.add(stack.connect(listener.localAddress(), socketOptions(), stack.leastLoadedWorker()));
        }
        assertEquals(17, totalLoad());
        for (ConnectedSocket s : sockets) {
            s.close();
            s.close();
            assertFalse(s.isOpen());
        }
        listener.close();
        listener.close();
        awaitLoadsZero("after closing connecting sockets and their listener from a non-loop thread");
    }

    @Test
    void stoppingTheStackFailsOpenConnectionsWithShutdownAndNeverHangs() throws Exception {
        assumeTrue(canStopStackInTest(), "this stack cannot be stopped in a test");
        AsyncServer server = closeLater(AsyncEchoServer.start(stack, listenAddress(), socketOptions(), waitBound()));
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        CompletableFuture<int[]> failedWith = new CompletableFuture<>();
        ConnectedSocket socket = stack.connect(server.localAddress(), socketOptions(), stack.leastLoadedWorker());
        AsyncStream client = EventLoops.await(AsyncStream.attach(socket, new AsyncStream.Listener() {
            @Override
            public void onConnected(AsyncStream s) {
                s.send(new byte[] {1, 2, 3});
            }

            @Override
            public void onData(AsyncStream s, ByteBuffer data) {
                if (s.bytesRead() == 3) {
                    echoed.complete(null);
                }
            }

            @Override
            public void onFailed(AsyncStream s, int errno) {
                // The handler fired because of the shutdown: every further call fails the same way.
                int read = s.socket().read(ByteBuffer.allocate(16));
                long sent = s.socket().send(BufferList.ofUtf8("late"), false);
                failedWith.complete(new int[] {errno, read, (int) sent});
            }
        }), waitBound(), "attaching the client");
        closeLater(client::close);
        EventLoops.await(echoed, waitBound(), "a first echo");
        assertEquals(1, server.connectionCount());

        List<Worker> workers = stack.workers();
        stackStopped = true;
        assertTimeoutPreemptively(waitBound(), () -> stopStack(stack), "stopping the stack with an open connection");

        int[] results = EventLoops.await(failedWith, waitBound(), "the client's handler learning of the shutdown");
        assertEquals(-Errno.ESHUTDOWN, results[0], "first failure: " + Errno.name(results[0]));
        assertEquals(-Errno.ESHUTDOWN, results[1], "read after shutdown: " + Errno.name(results[1]));
        assertEquals(-Errno.ESHUTDOWN, results[2], "send after shutdown: " + Errno.name(results[2]));
        EventLoops.await(client.whenClosed(), waitBound(), "the client stream closing");
        EventLoops.awaitCondition(() -> server.failures().contains(-Errno.ESHUTDOWN), waitBound(),
                "the server side of the connection failing with ESHUTDOWN");
        for (Worker w : workers) {
            EventLoops.awaitCondition(() -> !w.isRunning(), waitBound(), "worker " + w.id() + " ending");
            AtomicBoolean ran = new AtomicBoolean();
            assertFalse(w.center().execute(() -> ran.set(true)), "a stopped worker's center refuses tasks");
            assertTrue(w.center().isShutdown());
            assertFalse(ran.get());
        }
    }

    // ---- helpers for subclasses and the tests above ----

    /** @return {@code count} messages of 1..1024 bytes (some of 1 byte) from a pattern seeded by {@code seed}. */
    protected static List<byte[]> smallMessages(long seed, int count) {
        Random random = new Random(seed);
        BytePattern pattern = new BytePattern(seed);
        List<byte[]> messages = new ArrayList<>(count);
        long offset = 0;
        for (int i = 0; i < count; i++) {
            int size = i % 10 == 0 ? 1 : 1 + random.nextInt(1024);
            messages.add(pattern.bytes(offset, size));
            offset += size;
        }
        return messages;
    }

    /** @return a socket call's result for messages: a count, end of stream, or the errno's name. */
    protected static String describe(long result) {
        if (result > 0) {
            return result + " (bytes)";
        }
        return result == 0 ? "0 (end of stream / nothing)" : result + " (" + Errno.name((int) result) + ")";
    }

    /** @return the sum of all workers' loads. */
    protected final int totalLoad() {
        return stack.workers().stream().mapToInt(Worker::load).sum();
    }

    /** Waits (bounded) until every worker's load is 0. */
    protected final void awaitLoadsZero(String when) throws InterruptedException {
        EventLoops.awaitCondition(() -> totalLoad() == 0, waitBound(), "worker loads back to 0 " + when + " (loads "
                + stack.workers().stream().map(w -> String.valueOf(w.load())).toList() + " at the start of the wait)");
    }

    /**
     * Waits for a non-blocking connect to finish the way the API says: registered for WRITABLE
     * on the socket's loop, then {@link ConnectedSocket#isConnected()}.
     *
     * @return 1, or the negative errno of the failed connect
     */
    protected final int awaitConnected(ConnectedSocket socket) throws Exception {
        CompletableFuture<Integer> state = new CompletableFuture<>();
        EventCenter loop = socket.worker().center();
        EventLoops.runAndWait(loop, () -> {
            FileEvent[] event = new FileEvent[1];
            event[0] = loop.createFileEvent(socket, EventMask.WRITABLE, mask -> {
                int s = socket.isConnected();
                if (s != 0) {
                    event[0].cancel();
                    state.complete(s);
                }
            });
        }, waitBound());
        return EventLoops.await(state, waitBound(), "WRITABLE after a non-blocking connect");
    }

    /** What the socket's read and then send returned after the peer went away. */
    private record PeerFailure(int read, long send) {
    }

    /**
     * Reads when readable until a read returns end of stream or an error, then sends until a send
     * returns an error (retrying every 10 ms, at most 500 times: a reset peer must fail sends).
     */
    private CompletableFuture<PeerFailure> watchForPeerFailure(ConnectedSocket socket) {
        CompletableFuture<PeerFailure> result = new CompletableFuture<>();
        EventCenter loop = socket.worker().center();
        EventLoops.run(loop, () -> {
            FileEvent[] event = new FileEvent[1];
            event[0] = loop.createFileEvent(socket, EventMask.READABLE, mask -> {
                int read = socket.read(ByteBuffer.allocate(64 << 10));
                if (read == -Errno.EAGAIN) {
                    return;
                }
                if (read > 0) {
                    result.completeExceptionally(new AssertionError("the peer never sent, yet read returned " + read));
                    event[0].cancel();
                    return;
                }
                event[0].cancel();
                probeSend(loop, socket, read, 0, result);
            });
        }).whenComplete((v, t) -> {
            if (t != null) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static void probeSend(EventCenter loop, ConnectedSocket socket, int read, int attempt,
            CompletableFuture<PeerFailure> result) {
        long sent = socket.send(BufferList.ofUtf8("after the peer left"), false);
        if ((sent < 0 && sent != -Errno.EAGAIN) || attempt >= 500) {
            result.complete(new PeerFailure(read, sent));
            return;
        }
        loop.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(10), () -> probeSend(loop, socket, read, attempt + 1, result));
    }
}
