package io.ferry.netstack.shm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.net.Errno;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.netstack.shm.server.ShmControlServer;
import io.ferry.testkit.BytePattern;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ShmClient} against a real {@link ShmControlServer}: listen, accept, connect, streams, errors, peer death, leaks. */
class ShmClientTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    private EventLoopWorker worker;
    private ShmControlServer server;
    private Path socketPath;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Unix.isAvailable(), Unix.unavailableReason());
        worker = new EventLoopWorker(0, "shm-client-test", new EpollDriverFactory().create());
        worker.start();
        socketPath = temp.resolve("ferry").resolve("shm.sock");
        CompletableFuture<ShmControlServer> f = new CompletableFuture<>();
        worker.center().execute(() -> {
            try {
                f.complete(ShmControlServer.start(worker.center(),
                        ShmControlServer.Config.defaults(socketPath).withRingCapacity(64 << 10).withMaxChannels(8)));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        server = f.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (worker != null) {
            worker.stop(5000);
        }
    }

    static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void twoClientsExchangeAStreamThroughTheServerBothWaysWithHalfClose() throws Exception {
        long fds = openFds();
        int mappings = SharedMemory.liveMappings();
        try (ShmClient a = ShmClient.connect(socketPath, TIMEOUT); ShmClient b = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmListener listener = a.listen("echo");
            assertEquals(ShmAddress.of("echo"), listener.address());
            assertNull(listener.accept(), "nothing pending yet");
            ShmSocket client = b.connect("echo");
            ShmSocket accepted = listener.accept(TIMEOUT);
            assertNotNull(accepted, "the connection arrives on the listener");
            assertEquals(client.localAddress(), accepted.remoteAddress(), "connector address as the acceptor sees it");
            assertEquals(ShmAddress.of("echo"), accepted.localAddress());
            assertTrue(client.localAddress().name().startsWith("pid:" + ProcessHandle.current().pid() + "/"));
            assertEquals(1, server.liveChannels());

            // 8 MiB one way on another thread, through a 64 KiB ring: blocking mode both sides.
            BytePattern pattern = new BytePattern(11);
            long total = 8L << 20;
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
                long sent = 0;
                while (sent < total) {
                    int n = (int) Math.min(50_000, total - sent);
                    ByteBuffer src = ByteBuffer.wrap(pattern.bytes(sent, n));
                    int w = client.write(src);
                    if (w <= 0) {
                        return (long) w;
                    }
                    sent += w;
                }
                return (long) client.shutdownOutput() + sent;
            });
            ByteBuffer dst = ByteBuffer.allocateDirect(70_000);
            long got = 0;
            while (true) {
                dst.clear();
                int n = accepted.read(dst, TIMEOUT);
                assertTrue(n >= 0, "read " + n);
                if (n == 0) {
                    break;
                }
                dst.flip();
                assertEquals(-1, pattern.mismatch(dst, got), "bytes at " + got);
                got += n;
            }
            assertEquals(total, got);
            assertEquals(total, writer.get(30, TimeUnit.SECONDS));

            // The other direction still flows after the half-close.
            assertEquals(5, accepted.write(ByteBuffer.wrap("reply".getBytes())));
            ByteBuffer r = ByteBuffer.allocate(16);
            assertEquals(5, client.read(r));
            assertEquals(-Errno.EPIPE, client.write(ByteBuffer.wrap(new byte[1])), "after our own shutdownOutput");

            // Non-blocking mode: EAGAIN on empty.
            client.configureBlocking(false);
            assertEquals(-Errno.EAGAIN, client.read(ByteBuffer.allocate(4)));

            accepted.close();
            assertEquals(0, client.read(ByteBuffer.allocate(4)), "end of stream once the peer closed");
            client.close();
            assertEquals(-Errno.EBADF, client.read(ByteBuffer.allocate(4)));
            listener.close();
            await(() -> server.liveChannels() == 0, "the server freeing the channel after both CLOSEs");
            await(() -> server.listenerNames().isEmpty(), "the name released");
        }
        await(() -> server.liveClients() == 0, "both clients gone");
        assertEquals(mappings, SharedMemory.liveMappings());
        assertTrue(openFds() <= fds + 2, "fds " + openFds() + " vs " + fds);
    }

    @Test
    void requestFailuresAreErrnosAndLeaveTheClientUsable() throws Exception {
        try (ShmClient a = ShmClient.connect(socketPath, TIMEOUT); ShmClient b = ShmClient.connect(socketPath, TIMEOUT)) {
            UnixException refused = assertThrows(UnixException.class, () -> b.connect("nobody"));
            assertEquals(Errno.ECONNREFUSED, refused.errno());
            ShmListener l = a.listen("svc/foo");
            UnixException taken = assertThrows(UnixException.class, () -> b.listen("svc/foo"));
            assertEquals(Errno.EADDRINUSE, taken.errno());
            UnixException reserved = assertThrows(UnixException.class, () -> b.listen("node/x"));
            assertEquals(Errno.EACCES, reserved.errno());
            assertThrows(IllegalArgumentException.class, () -> b.connect("svc/foo", 10), "capacity below 64");
            // MAX_CHANNELS is 8 here: the 9th connect of one client fails with EMFILE.
            ShmSocket[] sockets = new ShmSocket[8];
            for (int i = 0; i < 8; i++) {
                sockets[i] = b.connect("svc/foo");
            }
            UnixException emfile = assertThrows(UnixException.class, () -> b.connect("svc/foo"));
            assertEquals(Errno.EMFILE, emfile.errno());
            for (ShmSocket s : sockets) {
                s.close();
                ShmSocket acc = l.accept(TIMEOUT);
                assertNotNull(acc);
                acc.close();
            }
            l.close();
            await(() -> !server.listenerNames().contains("svc/foo"), "the listener's CLOSE reaching the server");
            UnixException gone = assertThrows(UnixException.class, () -> b.connect("svc/foo"));
            assertEquals(Errno.ECONNREFUSED, gone.errno(), "a closed listener's name is free");
            ShmListener again = b.listen("svc/foo");
            again.close();
            await(() -> server.liveChannels() == 0, "channels freed");
        }
    }

    @Test
    void aPeerThatHangsUpIsClosedOnItsBehalfAndTheSurvivorSeesEndOfStreamThenEpipe() throws Exception {
        int mappings = SharedMemory.liveMappings();
        long fds = openFds();
        ShmClient a = ShmClient.connect(socketPath, TIMEOUT);
        try (ShmClient b = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmListener l = a.listen("dies");
            ShmSocket client = b.connect("dies");
            ShmSocket accepted = l.accept(TIMEOUT);
            assertNotNull(accepted);
            assertEquals(3, accepted.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            // A blocked reader on the survivor must wake up when the peer's process goes away.
            client.read(ByteBuffer.allocate(3));
            CompletableFuture<Integer> blockedRead = CompletableFuture.supplyAsync(() -> client.read(ByteBuffer.allocate(8), TIMEOUT));
            // The acceptor's process "dies": its control connection drops without any CLOSE.
            a.close();
            assertEquals(0, blockedRead.get(15, TimeUnit.SECONDS), "end of stream for the survivor");
            assertEquals(-Errno.EPIPE, client.write(ByteBuffer.wrap(new byte[64])), "the peer is gone");
            assertTrue(server.channelsResetCount() >= 1);
            b.processControlMessages();
            await(() -> {
                b.processControlMessages();
                return client.peerCloseReason() == Errno.ECONNRESET;
            }, "CLOSE ECONNRESET from the server");
            client.close();
            accepted.close(); // the dead side's own copies (same process here)
            await(() -> server.liveChannels() == 0, "the channel freed");
            assertNull(l.accept(), "a listener of a closed client accepts nothing");
        }
        await(() -> server.liveClients() == 0, "clients gone");
        assertEquals(mappings, SharedMemory.liveMappings());
        assertTrue(openFds() <= fds + 2);
    }

    @Test
    void manyOpenCloseCyclesLeakNothing() throws Exception {
        try (ShmClient a = ShmClient.connect(socketPath, TIMEOUT); ShmClient b = ShmClient.connect(socketPath, TIMEOUT)) {
            ShmListener l = a.listen("cycles");
            // warm up, then measure
            cycle(b, l);
            await(() -> server.liveChannels() == 0, "the warm-up channel freed");
            long fds = openFds();
            int mappings = SharedMemory.liveMappings();
            for (int i = 0; i < 300; i++) {
                cycle(b, l);
            }
            await(() -> server.liveChannels() == 0, "all channels freed");
            assertEquals(mappings, SharedMemory.liveMappings());
            assertTrue(openFds() <= fds + 2, "fds " + openFds() + " vs " + fds);
            assertEquals(0, a.openSockets());
            assertEquals(0, b.openSockets());
        }
    }

    private void cycle(ShmClient b, ShmListener l) throws Exception {
        ShmSocket s = b.connect("cycles", 1024);
        ShmSocket acc = l.accept(TIMEOUT);
        assertNotNull(acc);
        assertEquals(4, s.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})));
        assertEquals(4, acc.read(ByteBuffer.allocate(8)));
        s.close();
        acc.close();
        // Both CLOSEs travel on two different control sockets: wait until the server has them, so
        // that the acceptor's MAX_CHANNELS (8 here) is never reached by channels still closing.
        await(() -> server.liveChannels() == 0, "the channel freed");
    }
}
