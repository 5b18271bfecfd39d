package io.ferry.bench.core;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.Version;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The anchor of the echo benchmark: Netty 4.1 on its native epoll transport, in its default
 * configuration (edge-triggered, pooled direct buffers), with one event-loop thread for the
 * server (acceptor and connections alike) and one for the client, like {@link FerryEchoSystem}.
 * The server is Netty's canonical echo handler (write each read, flush when the read batch ends);
 * the client sends one fixed-size message, counts the echoed bytes until the whole message is
 * back, records the round trip and sends the next.
 *
 * <p><b>Threading:</b> as {@link EchoSystem}; handlers run on their channel's event loop.
 */
final class NettyEchoSystem implements EchoSystem {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final List<Channel> clients = new ArrayList<>();
    private EpollEventLoopGroup serverGroup;
    private EpollEventLoopGroup clientGroup;
    private Channel serverChannel;
    private EventLoop clientLoop;
    private EchoRecorder recorder;

    /** @return the anchor's name with the Netty version on the class path. */
    static String anchorName() {
        Version v = Version.identify().get("netty-transport-classes-epoll");
        return "netty " + (v == null ? "4.1" : v.artifactVersion()) + " epoll";
    }

    @Override
    public String label() {
        return "netty/epoll";
    }

    @Override
    public void start(int messageSize, int count, EchoRecorder recorder) throws Exception {
        Epoll.ensureAvailability();
        this.recorder = recorder;
        serverGroup = new EpollEventLoopGroup(1);
        clientGroup = new EpollEventLoopGroup(1);
        ServerBootstrap sb = new ServerBootstrap()
                .group(serverGroup)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 512)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(EchoServerHandler.INSTANCE);
        ChannelFuture bound = sb.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (!bound.await(START_TIMEOUT_MILLIS) || !bound.isSuccess()) {
            throw new IOException("netty server did not bind: " + bound.cause());
        }
        serverChannel = bound.channel();
        clientLoop = clientGroup.next();
        CountDownLatch connected = new CountDownLatch(count);
        Bootstrap b = new Bootstrap()
                .group(clientLoop)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        for (int i = 0; i < count; i++) {
            PingPong handler = new PingPong(messageSize, recorder, connected);
            ChannelFuture f = b.clone().handler(handler).connect(serverChannel.localAddress());
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    recorder.fail(done.cause());
                }
            });
            clients.add(f.channel());
        }
        if (!connected.await(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IOException("netty: " + connected.getCount() + " of " + count + " connections did not connect within "
                    + START_TIMEOUT_MILLIS + " ms" + (recorder.failure() == null ? "" : ": " + recorder.failure()));
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
        shutdown(clientGroup);
        shutdown(serverGroup);
    }

    private static void shutdown(EpollEventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(STOP_TIMEOUT_MILLIS);
        }
    }

    /** Netty's canonical echo: write what was read, flush at the end of the read batch. */
    @ChannelHandler.Sharable
    static final class EchoServerHandler extends ChannelInboundHandlerAdapter {
        static final EchoServerHandler INSTANCE = new EchoServerHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
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

    /** The client side of one connection; the mirror of {@code FerryEchoSystem.PingPong}. */
    static final class PingPong extends ChannelInboundHandlerAdapter {
        private final EchoRecorder recorder;
        private final int size;
        private final CountDownLatch connected;
        private ByteBuf payload;
        private ChannelHandlerContext context;
        /** True while no message is in flight (the recorder is stopped). */
        private boolean idle = true;
        private int received;
        private long sentAt;

        PingPong(int size, EchoRecorder recorder, CountDownLatch connected) {
            this.size = size;
            this.recorder = recorder;
            this.connected = connected;
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

        /** Sends a message unless one is in flight. */
        void kick() {
            if (idle && payload != null) {
                idle = false;
                send(context);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received += buf.readableBytes();
            buf.release();
            if (received >= size) {
                recorder.record(System.nanoTime() - sentAt);
                received -= size;
                if (recorder.isStopping()) {
                    idle = true;
                } else {
                    send(ctx);
                }
            }
        }

        private void send(ChannelHandlerContext ctx) {
            sentAt = System.nanoTime();
            ctx.writeAndFlush(payload.retainedDuplicate(), ctx.voidPromise());
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
