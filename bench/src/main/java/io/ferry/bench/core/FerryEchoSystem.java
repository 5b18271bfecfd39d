package io.ferry.bench.core;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventDriverFactory;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.FileEventHandler;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.SocketOptions;
import io.ferry.core.posix.PosixNetworkStack;
import io.ferry.core.selftest.EchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ferry's side of the echo benchmark: two {@code posix} stacks of one worker each (server and
 * client), the core self-test {@link EchoServer}, and a ping-pong client written against the API
 * ({@link ConnectedSocket} reads and writes driven by file events) that mirrors
 * {@link NettyEchoSystem}'s client step for step: one write per message, reads until the echo is
 * complete or a read comes back short (the drivers are level-triggered).
 *
 * <p><b>Threading:</b> as {@link EchoSystem}; each connection runs on the client worker's loop.
 */
final class FerryEchoSystem implements EchoSystem {
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final EventDriverFactory drivers;
    private final List<PingPong> connections = new ArrayList<>();
    private PosixNetworkStack serverStack;
    private PosixNetworkStack clientStack;
    private EchoServer server;
    private EventCenter clientCenter;
    private EchoRecorder recorder;

    FerryEchoSystem(EventDriverFactory drivers) {
        this.drivers = drivers;
    }

    @Override
    public String label() {
        return "ferry/" + drivers.name();
    }

    @Override
    public void start(int messageSize, int count, EchoRecorder recorder) throws Exception {
        this.recorder = recorder;
        serverStack = new PosixNetworkStack("bench-ferry-server", drivers, 1);
        serverStack.start();
        clientStack = new PosixNetworkStack("bench-ferry-client", drivers, 1);
        clientStack.start();
        server = EchoServer.start(serverStack, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketOptions.DEFAULT).get(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        Worker worker = clientStack.workers().get(0);
        clientCenter = worker.center();
        CountDownLatch connected = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            ConnectedSocket socket = clientStack.connect(server.localAddress(), SocketOptions.DEFAULT, worker);
            PingPong p = new PingPong(socket, messageSize, recorder, connected);
            connections.add(p);
            if (!clientCenter.execute(p::register)) {
                throw new IOException("the client loop stopped");
            }
        }
        if (!connected.await(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            Throwable failure = recorder.failure();
            throw new IOException(label() + ": " + connected.getCount() + " of " + count
                    + " connections did not connect within " + START_TIMEOUT_MILLIS + " ms"
                    + (failure == null ? "" : ": " + failure));
        }
    }

    @Override
    public boolean runOnClient(Runnable task) {
        return clientCenter != null && clientCenter.execute(task);
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.closing();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        if (clientCenter != null && clientCenter.execute(() -> {
            for (PingPong p : connections) {
                p.close();
            }
            stopped.countDown();
        })) {
            try {
                stopped.await(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (PingPong p : connections) {
            p.socket.close();
        }
        if (server != null) {
            server.close();
        }
        if (clientStack != null) {
            clientStack.stop(STOP_TIMEOUT_MILLIS);
        }
        if (serverStack != null) {
            serverStack.stop(STOP_TIMEOUT_MILLIS);
        }
    }

    /**
     * One client connection: sends a message, reads until the whole echo is in, records the
     * round trip, sends the next. Runs on the client loop only; allocates nothing per message.
     */
    private static final class PingPong implements FileEventHandler {
        final ConnectedSocket socket;
        final EchoRecorder recorder;
        private final CountDownLatch connected;
        private final ByteBuffer out;
        private final ByteBuffer in;
        private FileEvent event;
        private boolean running;
        /** True while no message is in flight (the recorder is stopped). */
        private boolean idle = true;
        private boolean closed;
        private long sentAt;

        PingPong(ConnectedSocket socket, int size, EchoRecorder recorder, CountDownLatch connected) {
            this.socket = socket;
            this.recorder = recorder;
            this.connected = connected;
            this.out = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                out.put(i, (byte) i);
            }
            this.in = ByteBuffer.allocateDirect(size);
        }

        void register() {
            try {
                event = socket.worker().center().createFileEvent(socket, EventMask.WRITABLE, this);
            } catch (IOException e) {
                fail("cannot watch the socket: " + e.getMessage());
            }
        }

        @Override
        public void onFileEvent(int readyMask) {
            if (closed) {
                return;
            }
            if (!running) {
                int c = socket.isConnected();
                if (c == 0) {
                    return;
                }
                if (c < 0) {
                    fail("connect failed: " + Errno.name(c));
                    return;
                }
                running = true;
                event.setMask(EventMask.READABLE);
                connected.countDown();
                recorder.connected(this::kick);
                return;
            }
            if (out.hasRemaining() && !flush()) {
                return;
            }
            for (;;) {
                int room = in.remaining();
                int r = socket.read(in);
                if (r == -Errno.EAGAIN) {
                    return;
                }
                if (r <= 0) {
                    fail(r == 0 ? "the server closed the connection" : "read failed: " + Errno.name(r));
                    return;
                }
                if (!in.hasRemaining()) {
                    recorder.record(System.nanoTime() - sentAt);
                    in.clear();
                    if (recorder.isStopping()) {
                        idle = true;
                    } else {
                        send();
                    }
                    return;
                }
                if (r < room) {
                    // Short read: the socket is empty; the drivers are level-triggered, wait for more.
                    return;
                }
            }
        }

        /** Sends a message unless one is in flight. */
        void kick() {
            if (idle && !closed) {
                idle = false;
                send();
            }
        }

        private void send() {
            out.clear();
            sentAt = System.nanoTime();
            flush();
        }

        /** @return true when the whole message is written. */
        private boolean flush() {
            int w = socket.write(out);
            if (w < 0) {
                fail("write failed: " + Errno.name(w));
                return false;
            }
            if (out.hasRemaining()) {
                event.setMask(EventMask.ALL);
                return false;
            }
            event.setMask(EventMask.READABLE);
            return true;
        }

        private void fail(String reason) {
            if (!closed) {
                recorder.fail(new IOException(reason));
            }
            close();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (event != null) {
                event.cancel();
            }
            socket.close();
        }
    }
}
