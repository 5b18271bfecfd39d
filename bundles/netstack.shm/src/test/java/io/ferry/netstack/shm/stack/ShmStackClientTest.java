package io.ferry.netstack.shm.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.channel.StreamChannelDescriptor;
import io.ferry.netstack.shm.client.ShmAddress;
import io.ferry.netstack.shm.client.ShmClient;
import io.ferry.netstack.shm.client.ShmClientConnection;
import io.ferry.netstack.shm.client.ShmSocket;
import io.ferry.netstack.shm.control.ControlMessageDecoder;
import io.ferry.netstack.shm.control.ControlMessageDescriptor;
import io.ferry.netstack.shm.control.ControlMessageEncoder;
import io.ferry.netstack.shm.ring.StreamRingDescriptor;
import io.ferry.testkit.EventLoops;
import io.ferry.unix.EventFd;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A plain-JVM client talking to services inside the node through the shm stack; and a hostile one. */
class ShmStackClientTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    @RegisterExtension
    final RunningShmStack running = new RunningShmStack("shm-stack");
    private ShmNetworkStack stack;

    @BeforeEach
    void takeTheRunningStack() {
        stack = running.stack();
    }


    @Test
    void aClientProcessAndANodeServiceExchangeBytesBothWays() throws Exception {
        int mappings = SharedMemory.liveMappings();
        ServerSocket listener = stack.listen(ShmAddress.of("echo"), SocketOptions.DEFAULT, null);
        assertEquals(ShmAddress.of("node/echo"), listener.localAddress());
        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
        try (ShmClient client = ShmClient.connect(stack.server().socketPath(), TIMEOUT)) {
            ShmSocket socket = client.connect("node/echo");
            ConnectedSocket node = EventLoops.await(accepted, BOUND, "accepting the client");
            assertEquals(socket.localAddress(), node.remoteAddress());
            assertEquals(5, socket.write(ByteBuffer.wrap("hello".getBytes())));
            CompletableFuture<Integer> got = new CompletableFuture<>();
            EventCenter loop = node.worker().center();
            EventLoops.runAndWait(loop, () -> {
                FileEvent[] e = new FileEvent[1];
                e[0] = loop.createFileEvent(node, EventMask.READABLE, m -> {
                    ByteBuffer b = ByteBuffer.allocate(16);
                    int n = node.read(b);
                    if (n > 0) {
                        e[0].cancel();
                        b.flip();
                        node.write(b); // echo
                        got.complete(n);
                    }
                });
            }, BOUND);
            assertEquals(5, EventLoops.await(got, BOUND, "the node reading"));
            ByteBuffer back = ByteBuffer.allocate(16);
            assertEquals(5, socket.read(back, TIMEOUT));
            assertEquals("hello", new String(back.array(), 0, 5));
            socket.close();
            node.close();
            listener.close();
            EventLoops.awaitCondition(() -> stack.server().liveChannels() == 0, BOUND, "channel freed");
        }
        EventLoops.awaitCondition(() -> stack.server().liveClients() == 0, BOUND, "client gone");
        assertEquals(mappings, SharedMemory.liveMappings());
    }

    @Test
    void aNodeSocketConnectsToAClientListener() throws Exception {
        try (ShmClient client = ShmClient.connect(stack.server().socketPath(), TIMEOUT)) {
            var l = client.listen("svc/client");
            ConnectedSocket node = stack.connect(ShmAddress.of("svc/client"), SocketOptions.DEFAULT, null);
            ShmSocket acc = l.accept(TIMEOUT);
            assertNotNull(acc);
            CompletableFuture<Integer> state = new CompletableFuture<>();
            EventCenter loop = node.worker().center();
            EventLoops.runAndWait(loop, () -> {
                FileEvent[] e = new FileEvent[1];
                e[0] = loop.createFileEvent(node, EventMask.WRITABLE, m -> {
                    int s = node.isConnected();
                    if (s != 0) {
                        e[0].cancel();
                        state.complete(s == 1 ? node.write(ByteBuffer.wrap(new byte[] {7, 8, 9})) : s);
                    }
                });
            }, BOUND);
            assertEquals(3, EventLoops.await(state, BOUND, "connect + write"));
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(3, acc.read(b, TIMEOUT));
            assertEquals(acc.remoteAddress(), node.localAddress());
            node.close();
            assertEquals(0, acc.read(b, TIMEOUT), "end of stream after the node closed");
            acc.close();
            ConnectedSocket refused = stack.connect(ShmAddress.of("svc/nobody"), SocketOptions.DEFAULT, null);
            assertEquals(-Errno.ECONNREFUSED, EventLoops.callAndWait(refused.worker().center(), refused::isConnected, BOUND));
            refused.close();
            EventLoops.awaitCondition(() -> stack.server().liveChannels() == 0, BOUND, "channel freed");
        }
    }

    @Test
    void aClientWritingHostileIndexesLosesOnlyThatChannel() throws Exception {
        ServerSocket listener = stack.listen(ShmAddress.of("node/hostile"), SocketOptions.DEFAULT, null);
        CompletableFuture<ConnectedSocket> accepted = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
        try (ShmClient honest = ShmClient.connect(stack.server().socketPath(), TIMEOUT);
                ShmClientConnection raw = ShmClientConnection.connect(stack.server().socketPath(), TIMEOUT)) {
            // The hostile client speaks the protocol by hand: CONNECT, then maps the channel itself.
            ByteBuffer out = ByteBuffer.allocateDirect(512).order(ByteOrder.LITTLE_ENDIAN);
            int len = ControlMessageEncoder.connect(out, 0, 7, 4096, "node/hostile");
            out.limit(len);
            assertEquals(len, raw.socket().send(out));
            ByteBuffer in = ByteBuffer.allocateDirect(513).order(ByteOrder.LITTLE_ENDIAN);
            int[] fds = new int[5];
            int n;
            do {
                assertTrue(Unix.poll(raw.socket().fd(), Unix.POLLIN, TIMEOUT) > 0);
                in.clear();
                n = raw.socket().receiveWithFds(in, fds);
            } while (n == -Errno.EAGAIN);
            ControlMessageDecoder d = new ControlMessageDecoder();
            assertEquals(ControlMessageDescriptor.CHANNEL_READY, d.wrap(in, 0, n, 5));
            assertEquals(StreamChannelDescriptor.SIDE_A, d.channelReadySide(), "the connector is side A");
            SharedMemory memory = SharedMemory.map(fds[0], ControlMessageDescriptor.channelSize(4096));
            EventFd dataOut = EventFd.adopt(fds[3]);
            for (int i : new int[] {1, 2, 4}) {
                EventFd.adopt(fds[i]).close();
            }
            ConnectedSocket node = EventLoops.await(accepted, BOUND, "the node accepting");
            // An out-of-range WRITE_INDEX in the ring the client produces (A -> B), then a ring.
            int ring = StreamChannelDescriptor.ringOffset(4096, StreamChannelDescriptor.SIDE_A);
            memory.buffer().order(ByteOrder.LITTLE_ENDIAN).putLong(ring + StreamRingDescriptor.WRITE_INDEX_OFFSET, 3L * 4096 + 5);
            dataOut.signal(1);
            CompletableFuture<Integer> result = new CompletableFuture<>();
            EventCenter loop = node.worker().center();
            EventLoops.runAndWait(loop, () -> {
                FileEvent[] e = new FileEvent[1];
                e[0] = loop.createFileEvent(node, EventMask.READABLE, m -> {
                    int r = node.read(ByteBuffer.allocate(64));
                    if (r != -Errno.EAGAIN) {
                        e[0].cancel();
                        result.complete(r);
                    }
                });
            }, BOUND);
            assertEquals(-Errno.EPROTO, EventLoops.await(result, BOUND, "the node noticing the corrupt index"));
            assertEquals(-Errno.EPROTO, EventLoops.callAndWait(loop, () -> node.read(ByteBuffer.allocate(8)), BOUND),
                    "sticky");
            // Nothing else is lost: the honest client and the server carry on.
            CompletableFuture<ConnectedSocket> second = RunningShmStack.acceptOne(listener, SocketOptions.DEFAULT, null, BOUND);
            ShmSocket ok = honest.connect("node/hostile");
            ConnectedSocket node2 = EventLoops.await(second, BOUND, "a second, honest connection");
            assertEquals(2, ok.write(ByteBuffer.wrap(new byte[] {1, 2})));
            assertEquals(2, stack.server().liveClients());
            ok.close();
            node2.close();
            node.close();
            dataOut.close();
            memory.close();
        }
        listener.close();
        EventLoops.awaitCondition(() -> stack.server().liveChannels() == 0, BOUND, "channels freed");
    }
}
