package io.ferry.core.posix;

import static io.ferry.core.posix.NativeSocketFixture.await;
import static io.ferry.core.posix.NativeSocketFixture.loopback;
import static io.ferry.core.posix.NativeSocketFixture.onLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.event.EventLoopWorker;
import io.ferry.core.jna.LibC;
import io.ferry.core.jna.NativeScratch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NativeConnectedSocketTest {
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
    void shouldReportConnectionRefusedFromIsConnectedWhenWritableFires() throws Exception {
        ServerSocket probe = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        InetSocketAddress closedPort = (InetSocketAddress) probe.localAddress();
        probe.close();
        f.awaitAllClosed();

        ConnectedSocket client = f.provider.connect(closedPort, SocketOptions.DEFAULT, f.first, f.tracker);
        CompletableFuture<Integer> outcome = new CompletableFuture<>();
        onLoop(f.first, () -> f.first.center().createFileEvent(client, EventMask.WRITABLE, mask -> {
            int state = client.isConnected();
            if (state != 0) {
                outcome.complete(state);
            }
        }));
        assertEquals(-Errno.ECONNREFUSED, (int) outcome.get(10, TimeUnit.SECONDS));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(f.first, client::isConnected), "the outcome is kept");
        client.close();
    }

    /** Regression: once isConnected() took SO_ERROR, recv on the dead socket returned 0, like end of stream. */
    @Test
    void shouldKeepReportingTheRefusalFromEveryCallInsteadOfEndOfStream() throws Exception {
        ServerSocket probe = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        InetSocketAddress closedPort = (InetSocketAddress) probe.localAddress();
        onLoop(f.first, () -> {
            probe.close();
            return null;
        });
        ConnectedSocket client = f.provider.connect(closedPort, SocketOptions.DEFAULT, f.first, f.tracker);
        assertEquals(-Errno.ECONNREFUSED, (int) await(f.first, client::isConnected, c -> c != 0));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(f.first, () -> client.read(ByteBuffer.allocate(8))));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(f.first, () -> client.read(ByteBuffer.allocateDirect(8))));
        assertEquals(-Errno.ECONNREFUSED, (long) onLoop(f.first, () -> client.send(BufferList.ofUtf8("x"), false)));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(f.first, () -> client.write(utf8("x"))));
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(f.first, client::shutdownOutput));
    }

    @Test
    void shouldKeepAFailureMetByAReadBeforeIsConnectedAsTheConnectOutcome() throws Exception {
        ServerSocket probe = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        InetSocketAddress closedPort = (InetSocketAddress) probe.localAddress();
        onLoop(f.first, () -> {
            probe.close();
            return null;
        });
        ConnectedSocket client = f.provider.connect(closedPort, SocketOptions.DEFAULT, f.first, f.tracker);
        int read = await(f.first, () -> client.read(ByteBuffer.allocate(8)), n -> n != -Errno.EAGAIN);
        assertEquals(-Errno.ECONNREFUSED, read);
        assertEquals(-Errno.ECONNREFUSED, (int) onLoop(f.first, client::isConnected));
    }

    @Test
    void shouldEchoSeveralKilobytesThroughFileEventsOnTwoWorkers() throws Exception {
        byte[] payload = new byte[9_000];
        new Random(7).nextBytes(payload);
        CompletableFuture<byte[]> received = new CompletableFuture<>();

        ServerSocket listener = f.provider.listen(loopback(), SocketOptions.DEFAULT, f.first, f.tracker);
        onLoop(f.first, () -> f.first.center().createFileEvent(listener, EventMask.READABLE, mask -> {
            try {
                ConnectedSocket accepted;
                while ((accepted = listener.accept(SocketOptions.DEFAULT, f.second)) != null) {
                    ConnectedSocket connection = accepted;
                    assertTrue(f.second.center().execute(() -> echo(connection, received)));
                }
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        }));

        ConnectedSocket client = f.provider.connect((InetSocketAddress) listener.localAddress(),
                SocketOptions.DEFAULT, f.first, f.tracker);
        onLoop(f.first, () -> runClient(client, payload, received));

        assertArrayEquals(payload, received.get(10, TimeUnit.SECONDS));
    }

    /** Echoes everything back on the connection's loop, then half-closes after the peer's EOF. */
    private static void echo(ConnectedSocket c, CompletableFuture<?> failure) {
        ByteBuffer in = ByteBuffer.allocateDirect(1500);
        BufferList pending = new BufferList();
        FileEvent[] event = new FileEvent[1];
        boolean[] eof = new boolean[1];
        int[] reads = new int[1];
        try {
            event[0] = c.worker().center().createFileEvent(c, EventMask.READABLE, mask -> {
                while (!eof[0]) {
                    int n = c.read(in);
                    if (n > 0) {
                        in.flip();
                        // Alternate heap and direct segments so send() sees both kinds.
                        ByteBuffer copy = reads[0]++ % 2 == 0 ? ByteBuffer.allocate(n) : ByteBuffer.allocateDirect(n);
                        copy.put(in).flip();
                        pending.append(copy);
                        in.clear();
                    } else if (n == 0) {
                        eof[0] = true;
                    } else if (n == -Errno.EAGAIN) {
                        break;
                    } else {
                        failure.completeExceptionally(new IOException("echo read " + Errno.name(n)));
                        return;
                    }
                }
                long sent = c.send(pending, false);
                if (sent < 0) {
                    failure.completeExceptionally(new IOException("echo send " + Errno.name((int) sent)));
                    return;
                }
                if (eof[0] && pending.isEmpty()) {
                    c.shutdownOutput();
                    event[0].cancel();
                } else {
                    event[0].setMask((eof[0] ? 0 : EventMask.READABLE) | (pending.isEmpty() ? 0 : EventMask.WRITABLE));
                }
            });
        } catch (IOException e) {
            failure.completeExceptionally(e);
        }
    }

    /** Connects, sends the payload in mixed segments, half-closes, and reads the echo until EOF. */
    private static FileEvent runClient(ConnectedSocket client, byte[] payload, CompletableFuture<byte[]> received)
            throws IOException {
        BufferList out = new BufferList();
        out.append(ByteBuffer.wrap(payload, 0, 1000));
        ByteBuffer direct = ByteBuffer.allocateDirect(3000).put(payload, 1000, 3000).flip();
        out.append(direct);
        out.append(ByteBuffer.wrap(payload, 4000, payload.length - 4000));
        ByteBuffer in = ByteBuffer.allocate(700);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        FileEvent[] event = new FileEvent[1];
        boolean[] state = new boolean[2]; // connected, output shut down
        event[0] = client.worker().center().createFileEvent(client, EventMask.WRITABLE, mask -> {
            if (!state[0]) {
                int connected = client.isConnected();
                if (connected == 0) {
                    return;
                }
                if (connected < 0) {
                    received.completeExceptionally(new IOException("connect " + Errno.name(connected)));
                    return;
                }
                state[0] = true;
            }
            if (!out.isEmpty() && client.send(out, false) < 0) {
                received.completeExceptionally(new IOException("client send failed"));
                return;
            }
            if (out.isEmpty() && !state[1]) {
                assertEquals(0, client.shutdownOutput());
                state[1] = true;
                event[0].setMask(EventMask.READABLE);
                return;
            }
            if ((mask & EventMask.READABLE) != 0) {
                int n;
                while ((n = client.read(in)) > 0) {
                    echoed.write(in.array(), 0, n);
                    in.clear();
                }
                if (n == 0) {
                    event[0].cancel();
                    received.complete(echoed.toByteArray());
                } else if (n != -Errno.EAGAIN) {
                    received.completeExceptionally(new IOException("client read " + Errno.name(n)));
                }
            }
        });
        return event[0];
    }

    @Test
    void shouldReadEndOfStreamAfterThePeerShutsDownOutput() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        assertEquals(3, (int) onLoop(f.first, () -> p.server().write(utf8("bye"))));
        assertEquals(0, (int) onLoop(f.first, () -> p.server().shutdownOutput()));

        ByteBuffer in = ByteBuffer.allocateDirect(16);
        assertEquals(3, (int) await(f.first, () -> p.client().read(in), n -> n != -Errno.EAGAIN));
        assertEquals("bye", StandardCharsets.UTF_8.decode(in.flip()).toString());
        in.clear();
        assertEquals(0, (int) onLoop(f.first, () -> p.client().read(in)), "end of stream");
        assertEquals(0, (int) onLoop(f.first, () -> p.client().read(in)), "end of stream stays");
        // The half-closed side can still send.
        assertEquals(2, (int) onLoop(f.first, () -> p.client().write(utf8("ok"))));
    }

    @Test
    void shouldReturnEagainWhenNothingIsAvailable() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        assertEquals(-Errno.EAGAIN, (int) onLoop(f.first, () -> p.client().read(ByteBuffer.allocate(8))));
        assertEquals(-Errno.EAGAIN, (int) onLoop(f.first, () -> p.client().read(ByteBuffer.allocateDirect(8))));
    }

    @Test
    void shouldMoveBytesBetweenHeapAndDirectBuffersAtTheirPositions() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        ByteBuffer heapOut = ByteBuffer.wrap("xxhello".getBytes(StandardCharsets.UTF_8)).position(2);
        ByteBuffer directOut = ByteBuffer.allocateDirect(10).put(utf8("--world")).flip().position(2);
        assertEquals(5, (int) onLoop(f.first, () -> p.client().write(heapOut)));
        assertEquals(5, (int) onLoop(f.first, () -> p.client().write(directOut)));
        assertFalse(heapOut.hasRemaining());
        assertFalse(directOut.hasRemaining());

        ByteBuffer heapIn = ByteBuffer.allocate(20).position(3).limit(8);
        assertEquals(5, (int) await(f.first, () -> p.server().read(heapIn), n -> n != -Errno.EAGAIN));
        assertEquals(8, heapIn.position());
        ByteBuffer directIn = ByteBuffer.allocateDirect(20).position(4);
        assertEquals(5, (int) await(f.first, () -> p.server().read(directIn), n -> n != -Errno.EAGAIN));
        assertEquals("hello", new String(heapIn.array(), 3, 5, StandardCharsets.UTF_8));
        directIn.flip().position(4);
        assertEquals("world", StandardCharsets.UTF_8.decode(directIn).toString());
        assertEquals(-Errno.EINVAL, (int) onLoop(f.first, () -> p.server().read(ByteBuffer.allocate(0))),
                "no room: EINVAL, so that 0 always means end of stream");
    }

    @Test
    void shouldSendMoreSegmentsThanOneIovecBatch() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        int segments = NativeScratch.IOV_BATCH * 2 + 17;
        BufferList out = new BufferList();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < segments; i++) {
            byte[] bytes = ("segment-" + i + ";").getBytes(StandardCharsets.UTF_8);
            expected.write(bytes);
            out.append(i % 3 == 0 ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes));
        }
        long length = out.length();
        assertEquals(length, (long) onLoop(f.first, () -> p.client().send(out, true)));
        assertTrue(out.isEmpty());
        assertArrayEquals(expected.toByteArray(), readExactly(p.server(), f.first, (int) length));
    }

    @Test
    void shouldSendRunsOfHeapSegmentsLargerThanTheCopyAreaInOrder() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        Random random = new Random(5);
        BufferList out = new BufferList();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        // runs of heap segments (gathered into one copy), a heap segment crossing the copy area's
        // end, and direct segments between runs
        for (int i = 0; i < 400; i++) {
            byte[] bytes = new byte[i == 150 ? NativeScratch.COPY_SIZE : 1 + random.nextInt(300)];
            random.nextBytes(bytes);
            expected.write(bytes);
            out.append(i % 50 == 49 ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes));
        }
        long length = out.length();
        long sent = 0;
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < length) {
            long n = onLoop(f.first, () -> out.isEmpty() ? 0L : p.client().send(out, false));
            assertTrue(n >= 0, "send failed: " + n);
            sent += n;
            int want = (int) Math.min(sent - got.size(), 64 * 1024);
            if (want > 0) {
                got.write(readExactly(p.server(), f.first, want));
            }
        }
        assertTrue(out.isEmpty());
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
        // a single small heap segment goes out as one plain send
        BufferList one = BufferList.ofUtf8("one");
        assertEquals(3L, (long) onLoop(f.first, () -> p.client().send(one, false)));
        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), readExactly(p.server(), f.first, 3));
    }

    @Test
    void shouldConsumeOnlyWhatTheKernelTookWhenTheSendBufferFills() throws Exception {
        SocketOptions small = SocketOptions.DEFAULT.withSendBufferSize(16 * 1024).withReceiveBufferSize(16 * 1024);
        ServerSocket listener = f.provider.listen(loopback(), small, f.first, f.tracker);
        ConnectedSocket client = f.provider.connect((InetSocketAddress) listener.localAddress(), small, f.first,
                f.tracker);
        ConnectedSocket server = await(f.first, () -> listener.accept(small, f.first), s -> s != null);
        await(f.first, client::isConnected, c -> c == 1);

        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(3).nextBytes(payload);
        BufferList out = new BufferList();
        for (int at = 0; at < payload.length; at += 100_000) {
            int len = Math.min(100_000, payload.length - at);
            out.append(at % 200_000 == 0 ? ByteBuffer.wrap(payload, at, len)
                    : ByteBuffer.allocateDirect(len).put(payload, at, len).flip());
        }
        long first = onLoop(f.first, () -> client.send(out, false));
        assertTrue(first > 0 && first < payload.length, "partial write expected, got " + first);
        assertEquals(payload.length - first, out.length(), "exactly the written bytes are consumed");
        assertEquals(0L, (long) await(f.first, () -> client.send(out, false), n -> n == 0), "full: 0, not an error");

        // Drain on the other side while sending the rest; the bytes must arrive intact and in order.
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        byte[] chunk = new byte[in.capacity()];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got.size() < payload.length && System.nanoTime() < deadline) {
            onLoop(f.first, () -> {
                long sent = out.isEmpty() ? 0 : client.send(out, false);
                assertTrue(sent >= 0, "send failed: " + sent);
                int n;
                while ((n = server.read(in)) > 0) {
                    in.flip().get(chunk, 0, n);
                    got.write(chunk, 0, n);
                    in.clear();
                }
                return null;
            });
        }
        assertArrayEquals(payload, got.toByteArray());
    }

    @Test
    void shouldReturnEpipeInsteadOfRaisingSigpipeOnceThePeerIsGone() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        onLoop(f.first, () -> {
            p.server().close();
            return null;
        });
        ByteBuffer data = ByteBuffer.allocateDirect(1024);
        int result = await(f.first, () -> p.client().write(data.clear()), n -> n < 0);
        assertTrue(result == -Errno.EPIPE || result == -Errno.ECONNRESET, "got " + Errno.name(result));
        long viaSend = onLoop(f.first, () -> p.client().send(BufferList.ofUtf8("more"), false));
        assertEquals(-Errno.EPIPE, viaSend, "the process survived and reports EPIPE");
    }

    @Test
    void shouldReturnShutdownFromEveryCallAfterTheStackFailed() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        f.tracker.failAll();
        ConnectedSocket c = p.client();
        assertEquals(-Errno.ESHUTDOWN, (int) onLoop(f.first, c::isConnected));
        assertEquals(-Errno.ESHUTDOWN, (int) onLoop(f.first, () -> c.read(ByteBuffer.allocate(4))));
        assertEquals(-Errno.ESHUTDOWN, (int) onLoop(f.first, () -> c.write(utf8("x"))));
        assertEquals(-Errno.ESHUTDOWN, (long) onLoop(f.first, () -> c.send(BufferList.ofUtf8("x"), false)));
        assertEquals(-Errno.ESHUTDOWN, (int) onLoop(f.first, c::shutdownOutput));
        IOException e = assertThrows(IOException.class,
                () -> onLoop(f.first, () -> p.listener().accept(SocketOptions.DEFAULT, f.first)));
        assertTrue(e.getMessage().contains("ESHUTDOWN"), e.getMessage());
    }

    @Test
    void shouldReturnBadDescriptorAfterClose() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        ConnectedSocket c = p.client();
        onLoop(f.first, () -> {
            c.close();
            return null;
        });
        assertFalse(c.isOpen());
        assertEquals(-Errno.EBADF, (int) onLoop(f.first, () -> c.read(ByteBuffer.allocate(4))));
        assertEquals(-Errno.EBADF, (int) onLoop(f.first, () -> c.write(utf8("x"))));
    }

    @Test
    void shouldReportLocalAndRemoteAddressesOfBothEnds() throws Exception {
        NativeSocketFixture.Pair p = f.connectedPair(f.first);
        InetSocketAddress listening = (InetSocketAddress) p.listener().localAddress();
        assertTrue(listening.getPort() > 0);
        assertEquals(listening, p.client().remoteAddress());
        assertEquals(listening, p.server().localAddress());
        assertEquals(p.client().localAddress(), p.server().remoteAddress());
    }

    @Test
    void shouldApplySocketOptionsToConnectingAndAcceptedSockets() throws Exception {
        SocketOptions opts = SocketOptions.DEFAULT.withKeepAlive(true).withReceiveBufferSize(64 * 1024);
        ServerSocket listener = f.provider.listen(loopback(), opts, f.first, f.tracker);
        ConnectedSocket client = f.provider.connect((InetSocketAddress) listener.localAddress(), opts, f.first,
                f.tracker);
        ConnectedSocket server = await(f.first, () -> listener.accept(opts, f.first), s -> s != null);
        for (ConnectedSocket s : new ConnectedSocket[] {client, server}) {
            assertEquals(1, option(s.fd(), LibC.IPPROTO_TCP, LibC.TCP_NODELAY), "TCP_NODELAY on " + s);
            assertEquals(1, option(s.fd(), LibC.SOL_SOCKET, LibC.SO_KEEPALIVE), "SO_KEEPALIVE on " + s);
            assertTrue(option(s.fd(), LibC.SOL_SOCKET, LibC.SO_RCVBUF) >= 64 * 1024, "SO_RCVBUF on " + s);
        }
        assertEquals(1, option(listener.fd(), LibC.SOL_SOCKET, LibC.SO_REUSEADDR));
    }

    @Test
    void shouldNotAllocatePerReadWriteOrSend() throws Exception {
        // Small buffers, so that most sends fill the socket and return early.
        NativeSocketFixture.Pair p = f.connectedPair(f.first,
                SocketOptions.DEFAULT.withSendBufferSize(8 * 1024).withReceiveBufferSize(8 * 1024));
        ConnectedSocket c = p.client();
        ConnectedSocket s = p.server();
        ByteBuffer directOut = ByteBuffer.allocateDirect(64);
        ByteBuffer heapOut = ByteBuffer.allocate(64);
        ByteBuffer directIn = ByteBuffer.allocateDirect(4096);
        ByteBuffer heapIn = ByteBuffer.allocate(4096);
        Runnable readWrite = () -> {
            c.write(directOut.clear());
            c.write(heapOut.clear());
            while (s.read(directIn.clear()) > 0 || s.read(heapIn.clear()) > 0) {
                // drain
            }
        };
        BufferList warmUp = segments(directOut, heapOut, 60_000);
        BufferList measured = segments(directOut, heapOut, 60_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        onLoop(f.first, () -> {
            for (int i = 0; i < 20_000; i++) {
                readWrite.run();
            }
            return sendTrickling(c, s, warmUp, directIn);
        });
        long[] result = onLoop(f.first, () -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                readWrite.run();
            }
            long sends = sendTrickling(c, s, measured, directIn);
            return new long[] {threads.getCurrentThreadAllocatedBytes() - before, sends};
        });
        assertTrue(result[1] > 100, "send was called only " + result[1] + " times; allocated " + result[0]);
        assertTrue(result[0] < 64 * 1024, "allocated " + result[0] + " bytes over 20,000 writes, 20,000+ reads and "
                + result[1] + " sends");
    }

    private static BufferList segments(ByteBuffer direct, ByteBuffer heap, int count) {
        BufferList list = new BufferList();
        for (int i = 0; i < count; i++) {
            list.append(i % 2 == 0 ? direct.clear() : heap.clear());
        }
        return list;
    }

    /** Sends the list while the peer reads only one buffer per round, so most sends fill the socket. */
    private static long sendTrickling(ConnectedSocket c, ConnectedSocket s, BufferList list, ByteBuffer in) {
        long sends = 0;
        while (!list.isEmpty()) {
            assertTrue(c.send(list, false) >= 0);
            sends++;
            s.read(in.clear());
        }
        while (s.read(in.clear()) > 0) {
            // drain the rest
        }
        return sends;
    }

    private static int option(int fd, int level, int name) {
        NativeScratch scratch = NativeScratch.current();
        scratch.intValue(-1);
        scratch.socklen(4);
        assertEquals(0, LibC.getsockopt(fd, level, name, scratch.intValueAddress(), scratch.socklenAddress()));
        return scratch.intValue();
    }

    private static byte[] readExactly(ConnectedSocket s, EventLoopWorker w, int length) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(length);
        await(w, () -> {
            int n = s.read(in);
            assertTrue(n > 0 || n == -Errno.EAGAIN, "read " + n);
            return in.position();
        }, got -> got == length);
        return in.array();
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
