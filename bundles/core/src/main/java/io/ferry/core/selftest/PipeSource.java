package io.ferry.core.selftest;

import io.ferry.api.event.Pollable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/** A JDK {@link Pipe} as a {@link SignalSource}, for drivers that wait on channels. */
final class PipeSource implements SignalSource {
    private final Pipe pipe;
    private final ByteBuffer one = ByteBuffer.allocate(1);
    private final ByteBuffer sink = ByteBuffer.allocate(64);
    private final Pollable pollable;

    private PipeSource(Pipe pipe) {
        this.pipe = pipe;
        this.pollable = new Pollable() {
            @Override
            public SelectableChannel channel() {
                return pipe.source();
            }

            @Override
            public String toString() {
                return "probe pipe";
            }
        };
    }

    static PipeSource open() throws IOException {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        } catch (IOException e) {
            pipe.source().close();
            pipe.sink().close();
            throw e;
        }
        return new PipeSource(pipe);
    }

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public Pollable pollable() {
        return pollable;
    }

    @Override
    public synchronized void signal() {
        one.clear().put((byte) 1).flip();
        try {
            pipe.sink().write(one);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the probe pipe", e);
        }
    }

    @Override
    public void drain() {
        try {
            while (pipe.source().read(sink.clear()) > 0) {
                // Keep reading until the pipe is empty.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the probe pipe", e);
        }
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
        } catch (IOException e) {
            // Closing is best effort; nothing else holds the pipe.
        }
        try {
            pipe.source().close();
        } catch (IOException e) {
            // As above.
        }
    }
}
