package io.ferry.testkit;

import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Connects and sends messages one at a time, each only after the previous one came back whole,
 * comparing every echoed byte. {@link #done()} completes once all messages came back; the
 * connection stays open until {@link #close()}.
 *
 * <p><b>Threading:</b> public methods may be called from any thread; the work runs on the
 * socket's event loop.
 *
 * <p><b>Errors:</b> {@link #done()} completes exceptionally with an {@link AssertionError} for a
 * wrong byte, a {@link StreamFailedException} when the stack returned an errno, and an
 * {@link IOException} for an early end of stream or close.
 */
public final class EchoClient implements AutoCloseable {
    private final List<byte[]> messages;
    private final CompletableFuture<EchoClient> done = new CompletableFuture<>();
    private final CompletableFuture<AsyncStream> attached;
    private final ConnectedSocket socket;
    private int index;
    private int got;

    private EchoClient(ConnectedSocket socket, List<byte[]> messages) {
        this.socket = socket;
        this.messages = List.copyOf(messages);
        this.attached = AsyncStream.attach(socket, new Handler());
        attached.whenComplete((s, t) -> {
            if (t != null) {
                done.completeExceptionally(t);
            }
        });
    }

    /**
     * Starts a non-blocking connect on {@code worker} and, once connected, the exchange.
     *
     * @param messages non-empty messages, sent in order
     * @throws IOException only if the stack cannot create the socket at all
     */
    public static EchoClient start(NetworkStack stack, SocketAddress address, SocketOptions options, Worker worker,
            List<byte[]> messages) throws IOException {
        if (messages.isEmpty() || messages.stream().anyMatch(m -> m.length == 0)) {
            throw new IllegalArgumentException("messages must be non-empty");
        }
        return new EchoClient(stack.connect(address, options, worker), messages);
    }

    /** @return completed with this client when every message came back intact. */
    public CompletableFuture<EchoClient> done() {
        return done;
    }

    /** @return the stream, once attached. */
    public CompletableFuture<AsyncStream> stream() {
        return attached;
    }

    /** @return the socket. */
    public ConnectedSocket socket() {
        return socket;
    }

    /** Closes the connection; any thread, idempotent. */
    @Override
    public void close() {
        attached.whenComplete((s, t) -> {
            if (s != null) {
                s.close();
            }
        });
    }

    private final class Handler implements AsyncStream.Listener {
        @Override
        public void onConnected(AsyncStream stream) {
            stream.send(messages.get(0).clone());
        }

        @Override
        public void onData(AsyncStream stream, ByteBuffer data) {
            while (data.hasRemaining()) {
                if (index >= messages.size()) {
                    fail(stream, new AssertionError(data.remaining() + " bytes more than was sent"));
                    return;
                }
                byte[] expected = messages.get(index);
                int n = Math.min(data.remaining(), expected.length - got);
                for (int i = 0; i < n; i++) {
                    byte b = data.get();
                    if (b != expected[got + i]) {
                        fail(stream, new AssertionError("message " + index + " byte " + (got + i) + ": expected "
                                + expected[got + i] + " but was " + b));
                        return;
                    }
                }
                got += n;
                if (got == expected.length) {
                    index++;
                    got = 0;
                    if (index == messages.size()) {
                        done.complete(EchoClient.this);
                    } else {
                        stream.send(messages.get(index).clone());
                    }
                }
            }
        }

        @Override
        public void onEndOfStream(AsyncStream stream) {
            done.completeExceptionally(new IOException("end of stream after " + index + " of " + messages.size()
                    + " messages"));
        }

        @Override
        public void onFailed(AsyncStream stream, int errno) {
            done.completeExceptionally(new StreamFailedException("echo after " + index + " of " + messages.size()
                    + " messages", errno));
        }

        @Override
        public void onClosed(AsyncStream stream) {
            done.completeExceptionally(new IOException("closed after " + index + " of " + messages.size()
                    + " messages"));
        }

        private void fail(AsyncStream stream, Throwable t) {
            done.completeExceptionally(t);
            stream.close();
        }
    }
}
