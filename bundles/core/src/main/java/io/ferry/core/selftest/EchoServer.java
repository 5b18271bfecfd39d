package io.ferry.core.selftest;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.FileEventHandler;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous echo server on any {@link NetworkStack}: it listens on one worker, hands each
 * accepted connection to the stack's least loaded worker, and writes back every byte it reads, in
 * order. A connection whose peer stops reading is back-pressured (the server stops reading it
 * until its pending bytes are written); a connection that reaches end of stream is half-closed
 * after its last byte is written, then closed.
 *
 * <p>The per-connection path allocates nothing: one direct buffer per connection, reused. A
 * readiness is served until a read returns {@code -EAGAIN} or comes back short (less than the
 * room offered: the socket was empty at that moment), then the server waits for the next
 * readiness. That relies on level-triggered readiness, which Ferry's drivers give (and, for
 * stream sockets, holds under edge triggering too); it saves the read that would only return
 * {@code -EAGAIN}, as Netty's epoll transport does. After {@value #MAX_ROUNDS_PER_EVENT}
 * read/write rounds in one event the connection yields to the others of its loop and continues
 * in an external event.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close()} may be called from any thread; each
 * connection is served on its worker's event-loop thread only. <b>Shutdown:</b> {@link #close()}
 * closes the listener and every connection (each close is carried out on its owner's loop). When
 * the stack itself stops, every connection sees the failure on its next I/O and closes itself.
 */
public final class EchoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EchoServer.class);
    /** Bytes read per system call at most; one buffer of this size per connection. */
    public static final int BUFFER_SIZE = 64 * 1024;
    static final int MAX_ROUNDS_PER_EVENT = 16;

    private final NetworkStack stack;
    private final ServerSocket listener;
    private final SocketOptions options;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private FileEvent acceptEvent;

    private EchoServer(NetworkStack stack, ServerSocket listener, SocketOptions options) {
        this.stack = stack;
        this.listener = listener;
        this.options = options;
    }

    /**
     * Listens on {@code address} (port 0 picks a free port) and starts accepting.
     *
     * @return a stage completed with the running server once its accept event is registered, or
     *     exceptionally (with the listener closed) if the stack refuses
     */
    public static CompletableFuture<EchoServer> start(NetworkStack stack, SocketAddress address,
            SocketOptions options) {
        CompletableFuture<EchoServer> started = new CompletableFuture<>();
        ServerSocket listener;
        try {
            listener = stack.listen(address, options, stack.leastLoadedWorker());
        } catch (IOException | RuntimeException e) {
            started.completeExceptionally(e);
            return started;
        }
        EchoServer server = new EchoServer(stack, listener, options);
        EventCenter center = listener.worker().center();
        boolean queued = center.execute(() -> {
            try {
                if (server.closed.get()) {
                    throw new IOException("echo server closed while starting");
                }
                server.acceptEvent = center.createFileEvent(listener, EventMask.READABLE, server::onAcceptable);
                started.complete(server);
            } catch (IOException | RuntimeException e) {
                server.close();
                started.completeExceptionally(e);
            }
        });
        if (!queued) {
            listener.close();
            started.completeExceptionally(new IOException("worker " + center.name() + " is shut down"));
        }
        return started;
    }

    /** @return the address the server listens on (with the real port). Any thread. */
    public SocketAddress localAddress() {
        return listener.localAddress();
    }

    /** @return connections accepted so far. Any thread. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** @return connections currently open. Any thread; approximate while connections come and go. */
    public int openConnections() {
        return connections.size();
    }

    /** Closes the listener and every connection; idempotent, any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        EventCenter center = listener.worker().center();
        if (center.inEventLoop() && acceptEvent != null) {
            acceptEvent.cancel();
        }
        listener.close();
        for (Connection c : new ArrayList<>(connections)) {
            c.closeFromAnyThread();
        }
    }

    private void onAcceptable(int readyMask) {
        for (;;) {
            if (closed.get()) {
                return;
            }
            ConnectedSocket socket;
            try {
                socket = listener.accept(options, stack.leastLoadedWorker());
            } catch (IOException | RuntimeException e) {
                // The listener stays open; the next readiness retries.
                LOG.warn("echo server {}: accept failed: {}", localAddress(), e.getMessage());
                return;
            }
            if (socket == null) {
                return;
            }
            accepted.incrementAndGet();
            Connection c = new Connection(socket);
            connections.add(c);
            if (closed.get()) {
                c.closeFromAnyThread();
                return;
            }
            if (!socket.worker().center().execute(c::register)) {
                c.closeFromAnyThread();
            }
        }
    }

    /** One accepted connection; every method but {@link #closeFromAnyThread()} runs on its loop. */
    private final class Connection implements FileEventHandler {
        private final ConnectedSocket socket;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        private final Runnable resume = () -> onFileEvent(EventMask.READABLE);
        private FileEvent event;
        /** True while {@link #buffer} holds bytes read but not yet written back (read mode). */
        private boolean draining;
        /** True when the last read was short: the socket had nothing more at that moment. */
        private boolean socketDrained;
        private boolean done;

        Connection(ConnectedSocket socket) {
            this.socket = socket;
        }

        void register() {
            if (done || !socket.isOpen()) {
                finish();
                return;
            }
            try {
                event = socket.worker().center().createFileEvent(socket, EventMask.READABLE, this);
            } catch (IOException | RuntimeException e) {
                LOG.warn("echo server {}: cannot watch {}: {}", localAddress(), socket.remoteAddress(), e.getMessage());
                finish();
            }
        }

        @Override
        public void onFileEvent(int readyMask) {
            if (done) {
                return;
            }
            for (int round = 0; round < MAX_ROUNDS_PER_EVENT; round++) {
                if (draining) {
                    int w = socket.write(buffer);
                    if (w < 0) {
                        finish();
                        return;
                    }
                    if (buffer.hasRemaining()) {
                        // Back-pressure: stop reading until the peer takes what is pending.
                        event.setMask(EventMask.WRITABLE);
                        return;
                    }
                    buffer.clear();
                    draining = false;
                    if (socketDrained) {
                        event.setMask(EventMask.READABLE);
                        return;
                    }
                }
                int room = buffer.remaining();
                int r = socket.read(buffer);
                if (r == -Errno.EAGAIN) {
                    event.setMask(EventMask.READABLE);
                    return;
                }
                if (r <= 0) {
                    if (r == 0) {
                        socket.shutdownOutput();
                    }
                    finish();
                    return;
                }
                buffer.flip();
                draining = true;
                socketDrained = r < room;
            }
            // Fair share used: let the loop serve others, then carry on (needed under edge triggering).
            if (!socket.worker().center().execute(resume)) {
                finish();
            }
        }

        void closeFromAnyThread() {
            connections.remove(this);
            socket.close();
        }

        private void finish() {
            if (done) {
                return;
            }
            done = true;
            if (event != null) {
                event.cancel();
            }
            connections.remove(this);
            socket.close();
        }
    }

    @Override
    public String toString() {
        return "EchoServer[" + localAddress() + ", " + connections.size() + " connections]";
    }
}
