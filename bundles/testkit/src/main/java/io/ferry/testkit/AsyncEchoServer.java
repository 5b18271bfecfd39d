package io.ferry.testkit;

import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.SocketOptions;
import java.net.SocketAddress;
import java.time.Duration;

/** An {@link AsyncServer} whose connections run an {@link EchoHandler}. Any thread. */
public final class AsyncEchoServer {
    private AsyncEchoServer() {
    }

    /**
     * Listens on {@code address} and echoes every connection, with 64 KiB read buffers and at most
     * {@link EchoHandler#DEFAULT_MAX_PENDING} bytes queued per connection.
     */
    public static AsyncServer start(NetworkStack stack, SocketAddress address, SocketOptions options, Duration timeout)
            throws Exception {
        return AsyncServer.start(stack, address, options, AsyncStream.DEFAULT_READ_BUFFER, EchoHandler::new, timeout);
    }

    /** As {@link #start(NetworkStack, SocketAddress, SocketOptions, Duration)}, with a chosen read buffer size. */
    public static AsyncServer start(NetworkStack stack, SocketAddress address, SocketOptions options,
            int readBufferSize, Duration timeout) throws Exception {
        return AsyncServer.start(stack, address, options, readBufferSize, EchoHandler::new, timeout);
    }
}
