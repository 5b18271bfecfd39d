package io.ferry.testkit;

import io.ferry.api.buffer.BufferList;
import java.nio.ByteBuffer;

/**
 * Echoes every byte back, with bounded memory: when more than a limit is queued and not yet sent,
 * it stops reading until the output drains (so a fast writer meets back-pressure, not an ever
 * growing queue). On the peer's end of stream it sends what is left, then shuts its output down;
 * the stream then closes itself.
 *
 * <p>One instance per connection; called on that connection's event loop.
 */
public final class EchoHandler implements AsyncStream.Listener {
    /** The default bound on queued output: 4 MiB. */
    public static final long DEFAULT_MAX_PENDING = 4L << 20;

    private final long maxPending;
    private boolean paused;

    public EchoHandler() {
        this(DEFAULT_MAX_PENDING);
    }

    /** @param maxPending bytes queued for sending above which reading pauses */
    public EchoHandler(long maxPending) {
        this.maxPending = maxPending;
    }

    @Override
    public void onData(AsyncStream stream, ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        stream.send(new BufferList().append(copy));
        if (!paused && !stream.isClosed() && stream.pendingOutput() > maxPending) {
            paused = true;
            stream.pauseReading();
        }
    }

    @Override
    public void onOutputDrained(AsyncStream stream) {
        if (paused) {
            paused = false;
            stream.resumeReading();
        }
    }

    @Override
    public void onEndOfStream(AsyncStream stream) {
        stream.shutdownOutputWhenFlushed();
    }
}
