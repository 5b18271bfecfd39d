package io.ferry.netstack.shm.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.client.ShmClientConnection;
import io.ferry.netstack.shm.control.ControlMessageDecoder;
import io.ferry.netstack.shm.control.ControlMessageDescriptor;
import io.ferry.netstack.shm.control.ControlMessageEncoder;
import io.ferry.netstack.shm.control.PeerPolicy;
import io.ferry.unix.EventFd;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixException;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HELLO stage of {@link ShmControlServer} and {@link ShmClientConnection}, on a real epoll event loop. */
class ShmControlServerTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);
    private static final long SEGMENT_SIZE = 1 << 20;

    @TempDir
    Path temp;

    private EventLoopWorker worker;
    private ShmControlServer server;
    private Path socketPath;

    @BeforeEach
    void startLoop() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        worker = new EventLoopWorker(0, "shm-server-test", new EpollDriverFactory().create());
        worker.start();
        socketPath = temp.resolve("ferry").resolve("shm.sock");
    }

    @AfterEach
    void stopLoop() {
        if (server != null) {
            server.close();
        }
        if (worker != null) {
            worker.stop(5000);
        }
    }

    private ShmControlServer.Config config() throws IOException {
        return ShmControlServer.Config.defaults(socketPath).withSegmentSize(SEGMENT_SIZE);
    }

    private ShmControlServer start(ShmControlServer.Config config) throws Exception {
        server = onLoop(() -> ShmControlServer.start(worker.center(), config));
        return server;
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** Receives one datagram within the timeout: its length, 0 at EOF. */
    private static int receive(UnixSeqpacketSocket socket, ByteBuffer in) {
        in.clear();
        long deadline = System.nanoTime() + TIMEOUT;
        while (true) {
            int n = socket.receive(in);
            if (n != -Errno.EAGAIN) {
                return n;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || Unix.poll(socket.fd(), Unix.POLLIN, left) == 0) {
                throw new AssertionError("nothing received in time");
            }
        }
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocateDirect(ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1)
                .order(ControlMessageDescriptor.BYTE_ORDER);
    }

    /** Reads the fatal ERROR the server must send, then end of stream. */
    private static void assertFatalErrorThenEof(UnixSeqpacketSocket socket, int code, long requestId) {
        ByteBuffer in = buffer();
        int n = receive(socket, in);
        ControlMessageDecoder decoder = new ControlMessageDecoder();
        assertEquals(ControlMessageDescriptor.ERROR, decoder.wrap(in, 0, n, 0));
        assertEquals(code, in.getInt(ControlMessageDescriptor.ERROR_CODE_OFFSET));
        assertEquals(ControlMessageDescriptor.ERROR_FLAG_FATAL,
                in.getShort(ControlMessageDescriptor.ERROR_FLAGS_OFFSET) & ControlMessageDescriptor.ERROR_FLAG_FATAL);
        assertEquals(requestId, decoder.requestId());
        assertEquals(0, receive(socket, in), "server closes after a fatal ERROR");
    }

    @Test
    void shouldAdmitHelloAndShareTheSegmentWithTheClient() throws Exception {
        start(config());
        assertEquals(0700, (int) Files.getAttribute(socketPath.getParent(), "unix:mode") & 07777);

        try (ShmClientConnection client = ShmClientConnection.connect(socketPath, UUID.randomUUID(), TIMEOUT)) {
            assertEquals(1, client.version());
            assertEquals(ProcessHandle.current().pid(), client.serverPid());
            assertEquals(SEGMENT_SIZE, client.segmentSize());
            assertEquals(ShmControlServer.MAX_CHANNELS_DEFAULT, client.maxChannels());
            assertEquals(ShmControlServer.RING_CAPACITY_DEFAULT, client.ringCapacity());
            assertTrue(client.segment().isSizeSealed());

            await(() -> server.helloCompletedCount() == 1, "HELLO done");
            onLoop(() -> {
                List<SharedMemory> segments = server.segments();
                assertEquals(1, segments.size());
                segments.get(0).buffer().put(4097, (byte) 0x5A);
                return null;
            });
            assertEquals((byte) 0x5A, client.segment().buffer().get(4097));
            assertEquals(1, server.acceptedCount());
            assertEquals(1, server.liveClients());
        }
        await(() -> server.liveClients() == 0, "client freed after hang-up");
    }

    @Test
    void shouldCloseOnlyTheClientThatSentAMalformedHello() throws Exception {
        start(config());
        try (UnixSeqpacketSocket bad = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath));
                UnixSeqpacketSocket waiting = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath))) {
            ByteBuffer hello = buffer();
            int length = ControlMessageEncoder.hello(hello, 0, 7, 1, 1, 4242, UUID.randomUUID());
            hello.putInt(ControlMessageDescriptor.HELLO_MAGIC_OFFSET, 0x12345678); // bad MAGIC
            hello.limit(length);
            assertEquals(length, bad.send(hello));

            assertFatalErrorThenEof(bad, Errno.EPROTO, 7);
            await(() -> server.malformedCount() == 1, "malformed counted");

            // The other, already connected client is untouched and completes its own HELLO.
            ByteBuffer good = buffer();
            int goodLength = ControlMessageEncoder.hello(good, 0, 9, 1, 1, 4242, UUID.randomUUID());
            good.limit(goodLength);
            assertEquals(goodLength, waiting.send(good));
            ByteBuffer in = buffer();
            int[] fds = new int[1];
            long deadline = System.nanoTime() + TIMEOUT;
            int n;
            while ((n = waiting.receiveWithFds(in, fds)) == -Errno.EAGAIN && System.nanoTime() < deadline) {
                Unix.poll(waiting.fd(), Unix.POLLIN, TIMEOUT);
            }
            ControlMessageDecoder decoder = new ControlMessageDecoder();
            assertEquals(ControlMessageDescriptor.HELLO_REPLY, decoder.wrap(in, 0, n, 1));
            assertEquals(0, decoder.helloReplyStatus());
            assertEquals(9, decoder.requestId());
            SharedMemory.map(fds[0], decoder.helloReplySegmentSize()).close();
        }
        try (ShmClientConnection again = ShmClientConnection.connect(socketPath, TIMEOUT)) {
            assertEquals(1, again.version());
        }
        assertEquals(1, server.malformedCount());
    }

    @Test
    void shouldCloseASilentClientAfterTheHelloTimeout() throws Exception {
        start(config().withHelloTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(200)));
        try (UnixSeqpacketSocket silent = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath))) {
            assertFatalErrorThenEof(silent, Errno.ETIMEDOUT, 0);
        }
        await(() -> server.timedOutCount() == 1 && server.liveClients() == 0, "silent client closed");
    }

    @Test
    void shouldFreeTheSegmentAtOnceWhenAClientDisconnectsAfterHello() throws Exception {
        start(config());
        // Warm up (thread-local scratch, class loading) so the fd and mapping counts are stable.
        ShmClientConnection.connect(socketPath, TIMEOUT).close();
        await(() -> server.liveClients() == 0, "warm-up client freed");
        int mappings = SharedMemory.liveMappings();
        long fds = openFds();

        ShmClientConnection client = ShmClientConnection.connect(socketPath, TIMEOUT);
        await(() -> SharedMemory.liveMappings() == mappings + 2, "both sides mapped");
        client.close();
        await(() -> server.liveClients() == 0 && SharedMemory.liveMappings() == mappings, "server side unmapped");
        assertTrue(openFds() <= fds + 2, "descriptors back to start: " + openFds() + " vs " + fds);
    }

    @Test
    void shouldRemoveAStaleSocketFileAtStart() throws Exception {
        Files.createDirectory(socketPath.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // A crashed server's socket: the JDK leaves the file behind when the channel closes.
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socketPath));
        }
        assertTrue(Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS));

        start(config());
        try (ShmClientConnection client = ShmClientConnection.connect(socketPath, TIMEOUT)) {
            assertEquals(1, client.version());
        }

        // A live server is not replaced: a second start fails with EADDRINUSE.
        UnixException e = assertThrows(UnixException.class,
                () -> onLoop(() -> ShmControlServer.start(worker.center(), config())));
        assertEquals(Errno.EADDRINUSE, e.errno());

        server.close();
        assertFalse(Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS), "socket file removed at close");
    }

    @Test
    void shouldRefuseToStartInADirectoryOpenToOthers() throws Exception {
        Files.createDirectory(socketPath.getParent());
        Files.setPosixFilePermissions(socketPath.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException e = assertThrows(IOException.class, () -> start(config()));
        assertTrue(e.getMessage().contains(socketPath.getParent().toString()), e.getMessage());
        server = null;
    }

    @Test
    void shouldSendFatalEaccesToARefusedPeer() throws Exception {
        int me = ShmControlServer.currentUid();
        // The test cannot switch uid: a policy for another uid refuses this process (uid 0 included).
        start(config().withPolicy(PeerPolicy.sameUidOnly(me == 4242 ? 4243 : 4242)));
        try (UnixSeqpacketSocket refused = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath))) {
            assertFatalErrorThenEof(refused, Errno.EACCES, 0);
        }
        UnixException e = assertThrows(UnixException.class, () -> ShmClientConnection.connect(socketPath, TIMEOUT));
        assertEquals(Errno.EACCES, e.errno());
        assertEquals(2, server.refusedCount());
        assertEquals(0, server.acceptedCount());
        assertEquals(0, server.liveClients());
    }

    @Test
    void shouldLeakNothingOver200HelloCycles() throws Exception {
        start(config());
        ShmClientConnection.connect(socketPath, TIMEOUT).close();
        await(() -> server.liveClients() == 0, "warm-up client freed");
        int mappings = SharedMemory.liveMappings();
        long fds = openFds();
        for (int i = 0; i < 200; i++) {
            try (ShmClientConnection client = ShmClientConnection.connect(socketPath, TIMEOUT)) {
                client.segment().buffer().put(0, (byte) i);
            }
        }
        await(() -> server.liveClients() == 0 && SharedMemory.liveMappings() == mappings, "all clients freed");
        assertEquals(201, server.helloCompletedCount());
        assertTrue(openFds() <= fds + 2, "descriptors back to start: " + openFds() + " vs " + fds);
    }

    @Test
    void shouldFreeEverythingOnClose() throws Exception {
        int mappings = SharedMemory.liveMappings();
        start(config());
        ShmClientConnection a = ShmClientConnection.connect(socketPath, TIMEOUT);
        ShmClientConnection b = ShmClientConnection.connect(socketPath, TIMEOUT);
        await(() -> server.helloCompletedCount() == 2, "both admitted");
        server.close();
        assertEquals(0, server.liveClients());
        assertEquals(mappings + 2, SharedMemory.liveMappings(), "only the clients' own mappings remain");
        assertEquals(0, Unix.poll(a.socket().fd(), Unix.POLLIN, 0) & ~(Unix.POLLIN | Unix.POLLHUP));
        assertEquals(0, a.socket().receive(buffer()), "server hung up");
        a.close();
        b.close();
        assertEquals(mappings, SharedMemory.liveMappings());
        assertFalse(Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldFreeEverythingWhenTheEventLoopStops() throws Exception {
        int mappings = SharedMemory.liveMappings();
        start(config());
        try (ShmClientConnection client = ShmClientConnection.connect(socketPath, TIMEOUT)) {
            await(() -> server.helloCompletedCount() == 1, "admitted");
            assertTrue(worker.stop(5000));
            worker = null;
            assertEquals(0, server.liveClients());
            assertEquals(mappings + 1, SharedMemory.liveMappings(), "only the client's mapping remains");
            assertEquals(0, receive(client.socket(), buffer()), "server hung up");
            assertFalse(Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS));
            server.close(); // after the loop is gone: nothing left to do, no exception
        }
        assertEquals(mappings, SharedMemory.liveMappings());
    }

    /**
     * Also pins a bug found while writing it: an ERROR longer than the HELLO_REPLY before it threw
     * in the encoder (the send buffer's limit was left at 48), which cancelled the client's event.
     */
    @Test
    void shouldRefuseLaterStagesWithoutClosingAndASecondHelloFatally() throws Exception {
        start(config());
        try (ShmClientConnection client = ShmClientConnection.connect(socketPath, TIMEOUT)) {
            UnixSeqpacketSocket socket = client.socket();
            ByteBuffer out = buffer();
            // A request the server refuses (a datagram endpoint on a reserved name): an ERROR, not fatal.
            int length = ControlMessageEncoder.dgramOpen(out, 0, 2, 0, "node/mine");
            out.limit(length);
            assertEquals(length, socket.send(out));
            ByteBuffer in = buffer();
            int n = receive(socket, in);
            ControlMessageDecoder decoder = new ControlMessageDecoder();
            assertEquals(ControlMessageDescriptor.ERROR, decoder.wrap(in, 0, n, 0));
            assertEquals(Errno.EACCES, in.getInt(ControlMessageDescriptor.ERROR_CODE_OFFSET));
            assertEquals(0, in.getShort(ControlMessageDescriptor.ERROR_FLAGS_OFFSET), "not fatal");
            assertEquals(2, decoder.requestId());
            assertEquals(1, server.liveClients());

            out.clear();
            length = ControlMessageEncoder.hello(out, 0, 3, 1, 1, 4242, UUID.randomUUID());
            out.limit(length);
            assertEquals(length, socket.send(out));
            assertFatalErrorThenEof(socket, Errno.EPROTO, 3);
        }
        await(() -> server.liveClients() == 0, "client closed");
        assertEquals(1, server.malformedCount());
    }

    @Test
    void shouldCloseDescriptorsSentWithHelloAndRefuseIt() throws Exception {
        start(config());
        try (UnixSeqpacketSocket warm = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath))) {
            warm.close();
        }
        await(() -> server.liveClients() == 0, "warm-up freed");
        long fds = openFds();
        try (UnixSeqpacketSocket socket = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath));
                EventFd smuggled = EventFd.create()) {
            ByteBuffer hello = buffer();
            int length = ControlMessageEncoder.hello(hello, 0, 5, 1, 1, 4242, UUID.randomUUID());
            hello.limit(length);
            assertEquals(length, socket.sendWithFds(hello, new int[] {smuggled.fd()}));
            assertFatalErrorThenEof(socket, Errno.EPROTO, 5);

            ByteBuffer tooLong = buffer();
            tooLong.limit(ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1);
            try (UnixSeqpacketSocket second = UnixSeqpacketSocket.connect(UnixAddress.path(socketPath))) {
                assertEquals(ControlMessageDescriptor.MAX_MESSAGE_LENGTH + 1, second.send(tooLong));
                assertFatalErrorThenEof(second, Errno.EPROTO, 0);
            }
        }
        await(() -> server.liveClients() == 0, "both freed");
        assertEquals(2, server.malformedCount());
        assertTrue(openFds() <= fds + 2, "the smuggled descriptor was closed: " + openFds() + " vs " + fds);
    }
}
