package io.ferry.testkit;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A listener on a {@link NetworkStack} that accepts on its worker's event loop, hands every
 * connection to the stack's {@link NetworkStack#leastLoadedWorker() least loaded worker}, and runs
 * it as an {@link AsyncStream} with a listener from a factory. Tracks its connections so that
 * {@link #close()} closes them all.
 *
 * <p><b>Threading:</b> every public method may be called from any thread. The factory and the
 * listeners it makes are called on event loops.
 *
 * <p><b>Errors:</b> accept failures (and failures to attach a connection) are kept in
 * {@link #acceptErrors()}; the listener stays open. Streams that fail add their errno to
 * {@link #failures()}.
 */
public final class AsyncServer implements AutoCloseable {
    private static final int ACCEPTS_PER_EVENT = 256;

    private final NetworkStack stack;
    private final ServerSocket listener;
    private final EventCenter center;
    private final SocketOptions options;
    private final int readBufferSize;
    private final Supplier<? extends AsyncStream.Listener> handlers;
    private final Set<AsyncStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final Queue<Throwable> acceptErrors = new ConcurrentLinkedQueue<>();
    private final Queue<Integer> failures = new ConcurrentLinkedQueue<>();
    private FileEvent acceptEvent;
    private boolean acceptScheduled;
    private volatile boolean closed;

    private AsyncServer(NetworkStack stack, ServerSocket listener, SocketOptions options, int readBufferSize,
            Supplier<? extends AsyncStream.Listener> handlers) {
        this.stack = stack;
        this.listener = listener;
        this.center = listener.worker().center();
        this.options = options;
        this.readBufferSize = readBufferSize;
        this.handlers = handlers;
    }

    /**
     * Listens on {@code address} with the stack's least loaded worker and starts accepting.
     *
     * @param handlers makes one listener per accepted connection (called on an event loop)
     * @param timeout bound for the registration on the listener's loop
     * @throws Exception what {@link NetworkStack#listen} threw, or the registration's failure
     */
    public static AsyncServer start(NetworkStack stack, SocketAddress address, SocketOptions options,
            int readBufferSize, Supplier<? extends AsyncStream.Listener> handlers, Duration timeout) throws Exception {
        Worker worker = stack.leastLoadedWorker();
        ServerSocket listener = stack.listen(address, options, worker);
        AsyncServer server = new AsyncServer(stack, listener, options, readBufferSize, handlers);
        try {
            EventLoops.runAndWait(server.center, server::register, timeout);
        } catch (Exception | Error e) {
            listener.close();
            throw e;
        }
        return server;
    }

    private void register() throws Exception {
        acceptEvent = center.createFileEvent(listener, EventMask.READABLE, this::onAcceptable);
    }

    private void onAcceptable(int readyMask) {
        if (closed) {
            return;
        }
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            ConnectedSocket socket;
            try {
                socket = listener.accept(options, stack.leastLoadedWorker());
            } catch (Exception e) {
                acceptErrors.add(e);
                return;
            }
            if (socket == null) {
                return;
            }
            accepted.incrementAndGet();
            AsyncStream.attach(socket, readBufferSize, new Tracking(handlers.get()))
                    .whenComplete((stream, failure) -> {
                        if (failure != null) {
                            acceptErrors.add(failure);
                        }
                    });
        }
        // Budget spent with connections still pending: continue after other work (also right
        // for edge-triggered drivers, which would not report the rest again).
        if (!acceptScheduled) {
            acceptScheduled = true;
            center.execute(() -> {
                acceptScheduled = false;
                onAcceptable(EventMask.READABLE);
            });
        }
    }

    /**
     * Accepts exactly one connection on {@code listener} (registered on its worker's loop for
     * READABLE, then deregistered) and assigns it to the stack's least loaded worker. Any thread.
     *
     * @return the connection; completed exceptionally if accept threw or the loop refused the task
     */
    public static CompletableFuture<ConnectedSocket> acceptOne(NetworkStack stack, ServerSocket listener,
            SocketOptions options) {
        CompletableFuture<ConnectedSocket> result = new CompletableFuture<>();
        EventCenter center = listener.worker().center();
        EventLoops.run(center, () -> {
            FileEvent[] event = new FileEvent[1];
            event[0] = center.createFileEvent(listener, EventMask.READABLE, mask -> {
                try {
                    ConnectedSocket socket = listener.accept(options, stack.leastLoadedWorker());
                    if (socket == null) {
                        return;
                    }
                    event[0].cancel();
                    if (!result.complete(socket)) {
                        socket.close();
                    }
                } catch (Exception e) {
                    event[0].cancel();
                    result.completeExceptionally(e);
                }
            });
        }).whenComplete((v, t) -> {
            if (t != null) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** @return the bound address. */
    public SocketAddress localAddress() {
        return listener.localAddress();
    }

    /** @return the listening socket. */
    public ServerSocket serverSocket() {
        return listener;
    }

    /** @return connections accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** @return connections currently open. */
    public int connectionCount() {
        return streams.size();
    }

    /** @return a snapshot of the open connections. */
    public List<AsyncStream> streams() {
        return new ArrayList<>(streams);
    }

    /** @return accept and attach failures so far. */
    public List<Throwable> acceptErrors() {
        return new ArrayList<>(acceptErrors);
    }

    /** @return the errnos of connections that failed so far. */
    public List<Integer> failures() {
        return new ArrayList<>(failures);
    }

    /** Closes the listener and every connection. Idempotent; any thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (center.inEventLoop()) {
            closeListener();
        } else if (!center.execute(this::closeListener)) {
            listener.close();
        }
        for (AsyncStream s : streams) {
            s.close();
        }
    }

    private void closeListener() {
        if (acceptEvent != null) {
            acceptEvent.cancel();
        }
        listener.close();
    }

    @Override
    public String toString() {
        return "AsyncServer[" + listener.localAddress() + ", " + streams.size() + " open, " + accepted.get()
                + " accepted]";
    }

    /** Keeps the server's books, then hands each call on. */
    private final class Tracking implements AsyncStream.Listener {
        private final AsyncStream.Listener delegate;

        Tracking(AsyncStream.Listener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onConnected(AsyncStream stream) {
            streams.add(stream);
            if (closed) {
                stream.close();
                return;
            }
            delegate.onConnected(stream);
        }

        @Override
        public void onData(AsyncStream stream, java.nio.ByteBuffer data) {
            delegate.onData(stream, data);
        }

        @Override
        public void onEndOfStream(AsyncStream stream) {
            delegate.onEndOfStream(stream);
        }

        @Override
        public void onOutputDrained(AsyncStream stream) {
            delegate.onOutputDrained(stream);
        }

        @Override
        public void onBackPressure(AsyncStream stream) {
            delegate.onBackPressure(stream);
        }

        @Override
        public void onFailed(AsyncStream stream, int errno) {
            failures.add(errno);
            delegate.onFailed(stream, errno);
        }

        @Override
        public void onClosed(AsyncStream stream) {
            streams.remove(stream);
            delegate.onClosed(stream);
        }
    }
}
