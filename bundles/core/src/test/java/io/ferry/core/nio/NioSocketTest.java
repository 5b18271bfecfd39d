package io.ferry.core.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.buffer.PooledBuffer;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.FileEventHandler;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.buffer.DefaultBufferPool;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.posix.SocketTracker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NIO sockets of the posix stack on real event-loop workers over 127.0.0.1. */
class NioSocketTest {
    private static final long TIMEOUT_SECONDS = 10;
    private static final InetSocketAddress ANY_LOCAL_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final NioSocketProvider provider = new NioSocketProvider();
    private final SocketTracker tracker = new SocketTracker();
    private EventLoopWorker worker;
    private EventLoopWorker otherWorker;

    @BeforeEach
    void startWorkers() throws IOException {
        worker = new EventLoopWorker(0, "nio-test-0", new NioDriver());
        otherWorker = new EventLoopWorker(1, "nio-test-1", new NioDriver());
        worker.start();
        otherWorker.start();
    }

    @AfterEach
    void stopWorkers() {
        tracker.closeRemaining();
        assertTrue(worker.stop(5_000));
        assertTrue(otherWorker.stop(5_000));
    }

    @Test
    void shouldReportARefusedConnectAsEconnrefusedFromIsConnected() throws Exception {
        InetSocketAddress closedPort = unusedPort();
        ConnectedSocket socket = provider.connect(closedPort, SocketOptions.DEFAULT, worker, tracker);
        CompletableFuture<Integer> result = new CompletableFuture<>();

        onLoop(worker, () -> worker.center().createFileEvent(socket, EventMask.WRITABLE, mask -> {
            int connected = socket.isConnected();
            if (connected != 0) {
                result.complete(connected);
            }
        }));

        assertEquals(-Errno.ECONNREFUSED, (int) await(result));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(worker, socket::isConnected));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(worker, () -> socket.read(ByteBuffer.allocate(8))));
        socket.close();
        awaitLoad(worker, 0);
        assertEquals(0, tracker.size());
    }

    @Test
    void shouldReportAConnectRefusedAtOnceFromIsConnectedAfterTheFirstEvent() throws Exception {
        // Linux refuses a TCP connect to the broadcast address inside connect() (ENETUNREACH).
        InetSocketAddress broadcast = new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 9);
        ConnectedSocket socket = provider.connect(broadcast, SocketOptions.DEFAULT, worker, tracker);
        CompletableFuture<Integer> result = new CompletableFuture<>();

        onLoop(worker, () -> worker.center().createFileEvent(socket, EventMask.WRITABLE,
                mask -> result.complete(socket.isConnected())));

        int connected = await(result);
        assertTrue(connected < 0 && connected != -Errno.EAGAIN, Errno.name(connected));
        assertEquals(connected, (int) onLoop(worker, () -> (int) socket.send(BufferList.ofUtf8("x"), false)));
        socket.close();
        awaitLoad(worker, 0);
    }

    @Test
    void shouldEchoBytesBetweenTwoWorkers() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        onLoop(worker, () -> worker.center().createFileEvent(listener, EventMask.READABLE, mask -> acceptEchoing(listener)));
        byte[] message = "hello ferry, echo me back".repeat(40).getBytes(StandardCharsets.US_ASCII);
        ConnectedSocket client = provider.connect((InetSocketAddress) listener.localAddress(), SocketOptions.DEFAULT,
                otherWorker, tracker);
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();

        EchoClient handler = new EchoClient(client, message, echoed);
        onLoop(otherWorker, () -> handler.event = otherWorker.center().createFileEvent(client, EventMask.WRITABLE, handler));

        assertArrayEquals(message, await(echoed));
        assertEquals(2, worker.load(), "listener and accepted connection");
        assertEquals(1, otherWorker.load());
        client.close();
        listener.close();
        awaitLoad(otherWorker, 0);
    }

    @Test
    void shouldSendAListOfMoreSegmentsThanOneGatheringWriteTakesAndReleaseThem() throws Exception {
        DefaultBufferPool pool = new DefaultBufferPool();
        try (java.net.ServerSocket peer = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ConnectedSocket socket = provider.connect((InetSocketAddress) peer.getLocalSocketAddress(),
                    SocketOptions.DEFAULT, worker, tracker);
            try (Socket accepted = peer.accept()) {
                int segments = NioConnectedSocket.MAX_GATHER * 2 + 5;
                CompletableFuture<Long> sent = new CompletableFuture<>();
                onLoop(worker, () -> {
                    awaitConnected(socket);
                    BufferList list = new BufferList();
                    for (int i = 0; i < segments; i++) {
                        PooledBuffer b = pool.allocate(10);
                        b.buffer().put(String.format("seg-%05d;", i).getBytes(StandardCharsets.US_ASCII)).flip();
                        list.append(b);
                        b.release();
                    }
                    sent.complete(socket.send(list, false));
                    return list.length();
                });

                assertEquals(segments * 10L, (long) await(sent));
                byte[] received = accepted.getInputStream().readNBytes(segments * 10);
                assertEquals("seg-00000;", new String(received, 0, 10, StandardCharsets.US_ASCII));
                assertEquals(String.format("seg-%05d;", segments - 1),
                        new String(received, received.length - 10, 10, StandardCharsets.US_ASCII));
                assertEquals(0, pool.buffersInUse(), "every pooled segment released once written");
            }
        }
    }

    @Test
    void shouldReadZeroAtEndOfStreamAfterThePeerShutsDownOutput() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        try (Socket peer = new Socket()) {
            peer.connect(listener.localAddress(), 5_000);
            ConnectedSocket accepted = acceptOnLoop(listener, worker);
            CompletableFuture<String> sequence = new CompletableFuture<>();
            StringBuilder reads = new StringBuilder();
            ByteBuffer dst = ByteBuffer.allocate(64);
            onLoop(worker, () -> worker.center().createFileEvent(accepted, EventMask.READABLE, mask -> {
                int n;
                while ((n = accepted.read(dst)) > 0) {
                    reads.append(n).append(' ');
                }
                if (n == 0) {
                    reads.append("eof");
                    sequence.complete(reads.toString());
                } else if (n != -Errno.EAGAIN) {
                    sequence.complete("error " + Errno.name(n));
                }
            }));

            OutputStream out = peer.getOutputStream();
            out.write(new byte[] {1, 2, 3});
            out.flush();
            peer.shutdownOutput();

            assertTrue(await(sequence).endsWith("eof"), reads.toString());
            assertEquals(3, dst.position());
            assertEquals(0, (int) onLoop(worker, () -> accepted.read(ByteBuffer.allocate(8))), "still at end of stream");
            assertEquals(0, (int) onLoop(worker, accepted::shutdownOutput));
            assertEquals(-1, peer.getInputStream().read(), "our shutdownOutput reached the peer");
        }
    }

    @Test
    void shouldReturnEconnresetWhenThePeerResetsTheConnection() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        Socket peer = new Socket();
        peer.connect(listener.localAddress(), 5_000);
        ConnectedSocket accepted = acceptOnLoop(listener, worker);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        onLoop(worker, () -> worker.center().createFileEvent(accepted, EventMask.READABLE, mask -> {
            int n = accepted.read(ByteBuffer.allocate(64));
            if (n != -Errno.EAGAIN) {
                result.complete(n);
            }
        }));

        peer.setSoLinger(true, 0);
        peer.close();

        assertEquals(-Errno.ECONNRESET, (int) await(result));
    }

    @Test
    void shouldReturnEagainWhenNothingIsAvailable() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        try (Socket peer = new Socket()) {
            peer.connect(listener.localAddress(), 5_000);
            ConnectedSocket accepted = acceptOnLoop(listener, worker);

            assertEquals(-Errno.EAGAIN, (int) onLoop(worker, () -> accepted.read(ByteBuffer.allocate(8))));
            assertEquals(-Errno.EINVAL, (int) onLoop(worker, () -> accepted.read(ByteBuffer.allocate(0))));
        }
    }

    @Test
    void shouldReturnEshutdownFromEveryIoMethodOnceTheStackFailedIt() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        try (Socket peer = new Socket()) {
            peer.connect(listener.localAddress(), 5_000);
            peer.getOutputStream().write(7);
            ConnectedSocket accepted = acceptOnLoop(listener, worker);

            tracker.failAll();

            int[] results = onLoop(worker, () -> new int[] {
                    accepted.isConnected(),
                    accepted.read(ByteBuffer.allocate(8)),
                    accepted.write(ByteBuffer.wrap(new byte[] {1})),
                    (int) accepted.send(BufferList.ofUtf8("x"), false),
                    accepted.shutdownOutput()});
            for (int r : results) {
                assertEquals(-Errno.ESHUTDOWN, r);
            }
            IOException refused = assertThrows(IOException.class,
                    () -> onLoop(worker, () -> listener.accept(SocketOptions.DEFAULT, worker)));
            assertTrue(refused.getMessage().contains("ESHUTDOWN"), refused.getMessage());
        }
    }

    @Test
    void shouldAssignAnAcceptedConnectionToTheTargetWorker() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        try (Socket peer = new Socket()) {
            peer.connect(listener.localAddress(), 5_000);

            ConnectedSocket accepted = acceptOnLoop(listener, otherWorker);

            assertSame(otherWorker, accepted.worker());
            assertEquals(1, otherWorker.load());
            assertEquals(1, worker.load(), "only the listener");
            assertEquals(peer.getLocalSocketAddress(), accepted.remoteAddress());
            assertEquals(peer.getRemoteSocketAddress(), accepted.localAddress());
            accepted.close();
            awaitLoad(otherWorker, 0);
        }
    }

    @Test
    void shouldReturnNullFromAcceptWhenNoConnectionIsPending() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);

        assertNull(onLoop(worker, () -> listener.accept(SocketOptions.DEFAULT, worker)));
    }

    @Test
    void shouldCloseFromAnotherThreadOnTheOwnersLoop() throws Exception {
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, SocketOptions.DEFAULT, worker, tracker);
        try (Socket peer = new Socket()) {
            peer.connect(listener.localAddress(), 5_000);
            ConnectedSocket accepted = acceptOnLoop(listener, worker);
            onLoop(worker, () -> worker.center().createFileEvent(accepted, EventMask.READABLE, mask -> { }));

            accepted.close();
            accepted.close();

            assertFalse(accepted.isOpen());
            awaitLoad(worker, 1);
            assertEquals(-Errno.EBADF, (int) onLoop(worker, () -> accepted.read(ByteBuffer.allocate(8))));
            assertEquals(-1, peer.getInputStream().read(), "the peer sees the close");
            assertEquals(1, tracker.size(), "only the listener is left");
        }
    }

    @Test
    void shouldRefuseToListenOnAnAddressInUse() throws Exception {
        try (ServerSocketChannel taken = ServerSocketChannel.open()) {
            taken.bind(ANY_LOCAL_PORT);
            InetSocketAddress address = (InetSocketAddress) taken.getLocalAddress();

            BindException e = assertThrows(BindException.class,
                    () -> provider.listen(address, SocketOptions.DEFAULT.withBacklog(8), worker, tracker));
            assertTrue(e.getMessage().contains(String.valueOf(address.getPort())), e.getMessage());
            assertEquals(0, worker.load());
            assertEquals(0, tracker.size());
        }
    }

    @Test
    void shouldApplyTheSocketOptions() throws Exception {
        SocketOptions options = SocketOptions.DEFAULT.withNoDelay(true).withKeepAlive(true).withSendBufferSize(64 * 1024)
                .withReceiveBufferSize(64 * 1024);
        ServerSocket listener = provider.listen(ANY_LOCAL_PORT, options, worker, tracker);

        ConnectedSocket client = provider.connect((InetSocketAddress) listener.localAddress(), options, worker, tracker);

        SocketChannel channel = (SocketChannel) client.channel();
        assertFalse(channel.isBlocking());
        assertTrue(channel.getOption(StandardSocketOptions.TCP_NODELAY));
        assertTrue(channel.getOption(StandardSocketOptions.SO_KEEPALIVE));
        assertTrue(channel.getOption(StandardSocketOptions.SO_SNDBUF) >= 64 * 1024);
        assertTrue(channel.getOption(StandardSocketOptions.SO_RCVBUF) >= 64 * 1024);
        assertTrue(((ServerSocketChannel) listener.channel()).getOption(StandardSocketOptions.SO_REUSEADDR));
        assertNotNull(client.remoteAddress());
    }

    /** Accepts every pending connection and echoes what it reads (small messages, written at once). */
    private void acceptEchoing(ServerSocket listener) {
        try {
            ConnectedSocket c;
            while ((c = listener.accept(SocketOptions.DEFAULT, worker)) != null) {
                ConnectedSocket connection = c;
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                worker.center().createFileEvent(connection, EventMask.READABLE, mask -> {
                    int n;
                    while ((n = connection.read(buffer.clear())) > 0) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            if (connection.write(buffer) < 0) {
                                connection.close();
                                return;
                            }
                        }
                    }
                    if (n != -Errno.EAGAIN) {
                        connection.close();
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects, sends the message as a list of segments, and collects the echo. */
    private static final class EchoClient implements FileEventHandler {
        private final ConnectedSocket socket;
        private final byte[] message;
        private final CompletableFuture<byte[]> echoed;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final ByteBuffer buffer = ByteBuffer.allocate(512);
        private BufferList pending;
        /** Set on the loop right after registration, before the first event can fire. */
        FileEvent event;

        EchoClient(ConnectedSocket socket, byte[] message, CompletableFuture<byte[]> echoed) {
            this.socket = socket;
            this.message = message;
            this.echoed = echoed;
        }

        @Override
        public void onFileEvent(int readyMask) {
            if (pending == null) {
                int connected = socket.isConnected();
                if (connected < 0) {
                    echoed.completeExceptionally(new IOException("connect failed: " + Errno.name(connected)));
                }
                if (connected != 1) {
                    return;
                }
                pending = new BufferList();
                for (int off = 0; off < message.length; off += 100) {
                    pending.appendCopy(message, off, Math.min(100, message.length - off));
                }
            }
            if ((readyMask & EventMask.WRITABLE) != 0 && !pending.isEmpty()) {
                long n = socket.send(pending, false);
                if (n < 0) {
                    echoed.completeExceptionally(new IOException("send failed: " + Errno.name((int) n)));
                    return;
                }
            }
            event.setMask(pending.isEmpty() ? EventMask.READABLE : EventMask.ALL);
            int n;
            while ((n = socket.read(buffer.clear())) > 0) {
                received.write(buffer.array(), 0, n);
            }
            if (received.size() >= message.length) {
                echoed.complete(received.toByteArray());
            } else if (n != -Errno.EAGAIN) {
                echoed.completeExceptionally(new IOException("read returned " + n));
            }
        }
    }

    private ConnectedSocket acceptOnLoop(ServerSocket listener, EventLoopWorker target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            ConnectedSocket accepted = onLoop(worker, () -> listener.accept(SocketOptions.DEFAULT, target));
            if (accepted != null) {
                return accepted;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no connection to accept");
    }

    private static void awaitConnected(ConnectedSocket socket) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        int connected;
        while ((connected = socket.isConnected()) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, connected);
    }

    private static void awaitLoad(EventLoopWorker w, int load) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (w.load() != load && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(load, w.load());
    }

    private static InetSocketAddress unusedPort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(ANY_LOCAL_PORT);
            return (InetSocketAddress) probe.getLocalAddress();
        }
    }

    /** Runs {@code task} on the worker's loop and returns its result, or throws what it threw. */
    private static <T> T onLoop(EventLoopWorker w, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean queued = w.center().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        assertTrue(queued, "worker accepts tasks");
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw e;
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
