package io.ferry.bench.msgr;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The anchor: Netty 4.1 on its native epoll transport, one event-loop thread for the server and
 * one for the client, carrying each payload as a frame {@code le32 length | payload | le32 crc32c}:
 * {@link LengthFieldBasedFrameDecoder} cuts frames, the receiver checks the crc32c, the sender
 * computes it (the server too, for its echo) — the per-message work of a minimal crc-checked
 * message protocol, without the messenger's session layer (seq, ack, resend).
 *
 * <p><b>Threading:</b> as {@link PingPongSystem}; handlers run on their channel's loop.
 */
final class NettyFrameSystem implements PingPongSystem {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_FRAME = 16 << 20;

    private final List<Channel> clients = new ArrayList<>();
    private EpollEventLoopGroup serverGroup;
    private EpollEventLoopGroup clientGroup;
    private Channel serverChannel;
    private EventLoop clientLoop;
    private PingPongRecorder recorder;

    static String anchorName() {
        Version v = Version.identify().get("netty-transport-classes-epoll");
        return "netty " + (v == null ? "4.1" : v.artifactVersion()) + " epoll, length-prefixed frames + crc32c";
    }

    @Override
    public String label() {
        return "netty/frames";
    }

    private static LengthFieldBasedFrameDecoder decoder() {
        // le32 length of the payload; the crc trailer follows it (+4); strip the length field.
        return new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, MAX_FRAME, 0, 4, 4, 4, true);
    }

    @Override
    public void start(int size, int connections, PingPongRecorder recorder) throws Exception {
        Epoll.ensureAvailability();
        this.recorder = recorder;
        long poll = MessengerSuite.pollNanos();
        if (poll > 0) {
            serverGroup = new EpollEventLoopGroup(1, () -> new AdaptivePollStrategy(poll));
            clientGroup = new EpollEventLoopGroup(1, () -> new AdaptivePollStrategy(poll));
        } else {
            serverGroup = new EpollEventLoopGroup(1);
            clientGroup = new EpollEventLoopGroup(1);
        }
        ServerBootstrap sb = new ServerBootstrap().group(serverGroup).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 512)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(decoder(), new EchoFrames());
                    }
                });
        ChannelFuture bound = sb.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (!bound.await(START_TIMEOUT_MILLIS) || !bound.isSuccess()) {
            throw new IOException("netty server did not bind: " + bound.cause());
        }
        serverChannel = bound.channel();
        clientLoop = clientGroup.next();
        CountDownLatch connected = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            PingPong handler = new PingPong(size, recorder, connected);
            ChannelFuture f = new Bootstrap().group(clientLoop).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(decoder(), handler);
                        }
                    }).connect(serverChannel.localAddress());
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    recorder.fail(done.cause());
                }
            });
            clients.add(f.channel());
        }
        if (!connected.await(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IOException("netty: " + connected.getCount() + " of " + connections + " connections did not connect");
        }
    }

    @Override
    public boolean runOnClient(Runnable task) {
        if (clientLoop == null || clientLoop.isShuttingDown()) {
            return false;
        }
        clientLoop.execute(task);
        return true;
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.closing();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        if (clientLoop != null && !clientLoop.isShuttingDown()) {
            clientLoop.execute(() -> {
                for (Channel c : clients) {
                    c.close();
                }
                stopped.countDown();
            });
            try {
                stopped.await(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        }
        for (EpollEventLoopGroup g : new EpollEventLoopGroup[] {clientGroup, serverGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
            }
        }
    }

    /** crc32c of {@code len} bytes of {@code buf} from {@code index}, without copying. */
    static int crc32c(CRC32C crc, ByteBuf buf, int index, int len) {
        crc.reset();
        if (buf.nioBufferCount() == 1) {
            crc.update(buf.nioBuffer(index, len));
        } else {
            for (java.nio.ByteBuffer b : buf.nioBuffers(index, len)) {
                crc.update(b);
            }
        }
        return (int) crc.getValue();
    }

    /** Writes one frame: length, payload (a retained view), crc trailer; flushing is the caller's. */
    static void writeFrame(ChannelHandlerContext ctx, CRC32C crc, ByteBuf payload, int index, int len) {
        int sum = crc32c(crc, payload, index, len);
        ByteBuf head = ctx.alloc().directBuffer(4, 4).writeIntLE(len);
        ByteBuf tail = ctx.alloc().directBuffer(4, 4).writeIntLE(sum);
        ctx.write(head, ctx.voidPromise());
        ctx.write(payload.retainedSlice(index, len), ctx.voidPromise());
        ctx.write(tail, ctx.voidPromise());
    }

    /** Server: check each frame's crc32c, echo it as a new frame, flush at the end of the read batch. */
    static final class EchoFrames extends ChannelInboundHandlerAdapter {
        private final CRC32C crc = new CRC32C();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                int len = frame.readableBytes() - 4;
                int at = frame.readerIndex();
                if (len < 0 || crc32c(crc, frame, at, len) != frame.getIntLE(at + len)) {
                    ctx.close();
                    return;
                }
                writeFrame(ctx, crc, frame, at, len);
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Client side of one connection: one frame in flight. */
    static final class PingPong extends ChannelInboundHandlerAdapter {
        private final int size;
        private final PingPongRecorder recorder;
        private final CountDownLatch connected;
        private final CRC32C crc = new CRC32C();
        private ByteBuf payload;
        private ChannelHandlerContext context;
        private boolean idle = true;
        private long sentAt;

        PingPong(int size, PingPongRecorder recorder, CountDownLatch connected) {
            this.size = size;
            this.recorder = recorder;
            this.connected = connected;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            payload = ctx.alloc().directBuffer(size, size);
            for (int i = 0; i < size; i++) {
                payload.writeByte((byte) i);
            }
            context = ctx;
            connected.countDown();
            recorder.connected(this::kick);
        }

        void kick() {
            if (idle && payload != null) {
                idle = false;
                send();
            }
        }

        private void send() {
            sentAt = System.nanoTime();
            writeFrame(context, crc, payload, 0, size);
            context.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            long rtt = System.nanoTime() - sentAt;
            ByteBuf frame = (ByteBuf) msg;
            int len = frame.readableBytes() - 4;
            int at = frame.readerIndex();
            boolean ok = len == size && crc32c(crc, frame, at, len) == frame.getIntLE(at + len);
            frame.release();
            if (!ok) {
                recorder.fail(new IOException("netty: a frame came back with a bad length or crc32c"));
                return;
            }
            recorder.record(rtt);
            if (recorder.isStopping()) {
                idle = true;
            } else {
                send();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            recorder.fail(new IOException("netty: the connection closed"));
            if (payload != null) {
                payload.release();
                payload = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            recorder.fail(cause);
            ctx.close();
        }
    }
}
