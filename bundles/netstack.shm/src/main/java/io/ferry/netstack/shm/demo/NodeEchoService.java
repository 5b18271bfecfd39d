package io.ferry.netstack.shm.demo;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An echo service on any {@link NetworkStack}: accepts on its listener's loop, echoes each
 * connection on its own loop (partial writes wait for WRITABLE), closes a connection on end of
 * stream or error. {@link #start} and {@link #close} from any thread except the stack's loops.
 */
final class NodeEchoService implements AutoCloseable {
    private final NetworkStack stack;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private NodeEchoService(NetworkStack stack, ServerSocket listener) {
        this.stack = stack;
        this.listener = listener;
    }

    static NodeEchoService start(NetworkStack stack, SocketAddress address) throws Exception {
        ServerSocket listener = stack.listen(address, SocketOptions.DEFAULT, stack.leastLoadedWorker());
        NodeEchoService service = new NodeEchoService(stack, listener);
        EventCenter center = listener.worker().center();
        CompletableFuture<Void> registered = new CompletableFuture<>();
        if (!center.execute(() -> {
            try {
                center.createFileEvent(listener, EventMask.READABLE, m -> service.onAcceptable());
                registered.complete(null);
            } catch (IOException | RuntimeException e) {
                registered.completeExceptionally(e);
            }
        })) {
            registered.completeExceptionally(new IOException("the stack's loop is shut down"));
        }
        try {
            registered.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            listener.close();
            throw e;
        }
        return service;
    }

    SocketAddress address() {
        return listener.localAddress();
    }

    private void onAcceptable() {
        for (int i = 0; i < 16 && !closed; i++) {
            ConnectedSocket socket;
            try {
                socket = listener.accept(SocketOptions.DEFAULT, stack.leastLoadedWorker());
            } catch (IOException | RuntimeException e) {
                return;
            }
            if (socket == null) {
                return;
            }
            Connection c = new Connection(socket);
            connections.add(c);
            if (!socket.worker().center().execute(c::register)) {
                c.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.close();
        for (Connection c : connections) {
            EventCenter center = c.socket.worker().center();
            if (!center.execute(c::close)) {
                c.close();
            }
        }
    }

    /** One echoed connection; everything on its socket's loop. */
    private final class Connection {
        final ConnectedSocket socket;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        FileEvent event;
        boolean done;

        Connection(ConnectedSocket socket) {
            this.socket = socket;
        }

        void register() {
            try {
                event = socket.worker().center().createFileEvent(socket, EventMask.READABLE, m -> onEvent());
            } catch (IOException | RuntimeException e) {
                close();
            }
        }

        void onEvent() {
            if (done) {
                return;
            }
            while (true) {
                if (buffer.position() > 0) { // echo what is pending first
                    buffer.flip();
                    int w = socket.write(buffer);
                    buffer.compact();
                    if (w < 0) {
                        close();
                        return;
                    }
                    if (buffer.position() > 0) {
                        event.setMask(EventMask.WRITABLE);
                        return;
                    }
                    event.setMask(EventMask.READABLE);
                }
                int r = socket.read(buffer);
                if (r == -Errno.EAGAIN) {
                    return;
                }
                if (r <= 0) {
                    close();
                    return;
                }
            }
        }

        void close() {
            if (done) {
                return;
            }
            done = true;
            connections.remove(this);
            if (event != null && event.isActive() && socket.worker().center().inEventLoop()) {
                event.cancel();
            }
            socket.close();
        }
    }
}
