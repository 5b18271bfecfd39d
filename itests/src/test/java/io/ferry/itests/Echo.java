package io.ferry.itests;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.event.FileEventHandler;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A tiny echo server and client over any {@link NetworkStack}, written against the API only, the
 * way a user's code would be: every socket call on its worker's event-loop thread, readiness
 * through file events, return codes instead of exceptions. Runs inside the framework.
 */
final class Echo {
    private static final long TIMEOUT_SECONDS = 10;

    private Echo() {
    }

    /** Runs {@code task} on {@code center}'s thread and waits (bounded) for it. */
    static <T> T onLoop(EventCenter center, LoopTask<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!center.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        })) {
            throw new IllegalStateException(center.name() + " is shut down");
        }
        return await(result);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** A task for {@link #onLoop}. */
    interface LoopTask<T> {
        T call() throws Exception;
    }

    /** Starts an echo server on the loopback address; each connection goes to the least loaded worker. */
    static ServerSocket startServer(NetworkStack stack) throws Exception {
        Worker worker = stack.leastLoadedWorker();
        ServerSocket server = stack.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SocketOptions.DEFAULT, worker);
        onLoop(worker.center(), () -> worker.center().createFileEvent(server, EventMask.READABLE, mask -> {
            try {
                ConnectedSocket c;
                while ((c = server.accept(SocketOptions.DEFAULT, stack.leastLoadedWorker())) != null) {
                    ConnectedSocket accepted = c;
                    accepted.worker().center().execute(() -> serve(accepted));
                }
            } catch (IOException e) {
                // The listener stays open; the client sees its connect fail.
            } catch (IllegalStateException stackStopped) {
                // The stack is shutting down (no worker to hand a connection to): stop listening.
                server.close();
            }
        }));
        return server;
    }

    private static void serve(ConnectedSocket c) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        FileEvent[] event = new FileEvent[1];
        FileEventHandler handler = mask -> {
            while (true) {
                if (buf.position() > 0) {
                    buf.flip();
                    int w = c.write(buf);
                    buf.compact();
                    if (w < 0) {
                        c.close();
                        return;
                    }
                    if (buf.position() > 0) {
                        event[0].setMask(EventMask.WRITABLE);
                        return;
                    }
                }
                int n = c.read(buf);
                if (n == -Errno.EAGAIN) {
                    event[0].setMask(EventMask.READABLE);
                    return;
                }
                if (n <= 0) {
                    c.close();
                    return;
                }
            }
        };
        try {
            event[0] = c.worker().center().createFileEvent(c, EventMask.READABLE, handler);
        } catch (IOException e) {
            c.close();
        }
    }

    /**
     * A client connection that sends one message and collects its echo. After the echo it stays
     * registered for {@link EventMask#READABLE}, and reports what the next read returned to
     * {@link #afterEcho} (for example {@code -ESHUTDOWN} when the stack goes away).
     */
    static final class Client {
        final ConnectedSocket socket;
        final CompletableFuture<byte[]> echo = new CompletableFuture<>();
        final CompletableFuture<Integer> afterEcho = new CompletableFuture<>();
        private final byte[] message;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private FileEvent event;
        private boolean sent;

        private Client(ConnectedSocket socket, byte[] message) {
            this.socket = socket;
            this.message = message;
        }

        /** Connects and sends {@code message}; await {@link #echo}. */
        static Client connect(NetworkStack stack, SocketAddress server, byte[] message) throws Exception {
            Worker worker = stack.leastLoadedWorker();
            Client client = new Client(stack.connect(server, SocketOptions.DEFAULT, worker), message);
            onLoop(worker.center(), () -> client.event = worker.center().createFileEvent(client.socket,
                    EventMask.WRITABLE, client::onFileEvent));
            return client;
        }

        private void onFileEvent(int mask) {
            if (!sent) {
                int state = socket.isConnected();
                if (state == 0) {
                    return;
                }
                if (state < 0) {
                    fail("connect failed: " + Errno.name(state));
                    return;
                }
                int w = socket.write(ByteBuffer.wrap(message));
                if (w != message.length) {
                    fail("short write: " + (w < 0 ? Errno.name(w) : w + " of " + message.length));
                    return;
                }
                sent = true;
                event.setMask(EventMask.READABLE);
                return;
            }
            while (true) {
                in.clear();
                int n = socket.read(in);
                if (n == -Errno.EAGAIN) {
                    return;
                }
                if (n > 0) {
                    if (!echo.isDone()) {
                        received.write(in.array(), 0, n);
                        if (received.size() >= message.length) {
                            echo.complete(received.toByteArray());
                        }
                    }
                    continue;
                }
                // End of stream or an error: report it once and stop watching.
                if (!echo.isDone()) {
                    fail("connection ended before the echo: " + (n == 0 ? "end of stream" : Errno.name(n)));
                    return;
                }
                afterEcho.complete(n);
                event.cancel();
                socket.close();
                return;
            }
        }

        private void fail(String why) {
            echo.completeExceptionally(new IOException(why));
            afterEcho.completeExceptionally(new IOException(why));
            event.cancel();
            socket.close();
        }
    }
}
