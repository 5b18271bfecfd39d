package io.ferry.core.event;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.ferry.api.event.Pollable;
import io.ferry.core.jna.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;

/**
 * Something a driver can wait on that a test makes readable at will: a JDK pipe for the NIO
 * driver, an eventfd for epoll. {@link #raise()} may be called from any thread; {@link #drain()}
 * on the loop that polls it.
 */
interface TestSignal extends AutoCloseable {
    Pollable pollable();

    /** Makes the pollable readable. */
    void raise() throws IOException;

    /** Reads until it is no longer readable. */
    void drain() throws IOException;

    @Override
    void close() throws IOException;

    /** @return a non-blocking pipe whose read end is the pollable. */
    static TestSignal pipe() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        Pollable pollable = new Pollable() {
            @Override
            public SelectableChannel channel() {
                return pipe.source();
            }

            @Override
            public String toString() {
                return "test pipe";
            }
        };
        return new TestSignal() {
            @Override
            public Pollable pollable() {
                return pollable;
            }

            @Override
            public void raise() throws IOException {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            }

            @Override
            public void drain() throws IOException {
                ByteBuffer buf = ByteBuffer.allocate(256);
                while (pipe.source().read(buf.clear()) > 0) {
                    // keep reading
                }
            }

            @Override
            public void close() throws IOException {
                pipe.sink().close();
                pipe.source().close();
            }
        };
    }

    /** @return a non-blocking eventfd (through JNA); the pollable is its descriptor. */
    static TestSignal eventFd() throws IOException {
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IOException("eventfd: " + LibC.describe(LibC.errno()));
        }
        Memory one = new Memory(Long.BYTES);
        one.setLong(0, 1);
        Memory counter = new Memory(Long.BYTES);
        Pollable pollable = Pollable.ofFd(fd);
        return new TestSignal() {
            private boolean closed;

            @Override
            public Pollable pollable() {
                return pollable;
            }

            @Override
            public synchronized void raise() throws IOException {
                if (LibC.write(fd, Pointer.nativeValue(one), Long.BYTES) != Long.BYTES) {
                    throw new IOException("eventfd write: " + LibC.describe(LibC.errno()));
                }
            }

            @Override
            public synchronized void drain() {
                LibC.read(fd, Pointer.nativeValue(counter), Long.BYTES);
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    LibC.close(fd);
                }
            }
        };
    }
}
