package io.ferry.core.selftest;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.ferry.api.event.Pollable;
import io.ferry.core.jna.LibC;
import java.io.IOException;

/**
 * A non-blocking Linux eventfd as a {@link SignalSource}, for drivers that wait on descriptors.
 * {@link #signal()} adds 1 to the counter; {@link #drain()} reads it back to 0.
 */
final class EventFdSource implements SignalSource {
    private final int fd;
    private final Pollable pollable;
    /** 8 bytes holding the value 1, written by {@link #signal()}. */
    private final Memory one = new Memory(Long.BYTES);
    /** 8 bytes the loop reads the counter into. */
    private final Memory counter = new Memory(Long.BYTES);
    private boolean closed;

    private EventFdSource(int fd) {
        this.fd = fd;
        this.pollable = Pollable.ofFd(fd);
        one.setLong(0, 1L);
    }

    static EventFdSource open() throws IOException {
        if (!LibC.isAvailable()) {
            throw new IOException("no eventfd: " + LibC.unavailableReason());
        }
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IOException("eventfd failed: " + LibC.describe(LibC.errno()));
        }
        return new EventFdSource(fd);
    }

    @Override
    public String name() {
        return "eventfd";
    }

    @Override
    public Pollable pollable() {
        return pollable;
    }

    @Override
    public synchronized void signal() {
        if (closed) {
            throw new IllegalStateException("eventfd closed");
        }
        long n = LibC.write(fd, Pointer.nativeValue(one), Long.BYTES);
        if (n != Long.BYTES) {
            throw new IllegalStateException("eventfd write failed: " + LibC.describe(LibC.errno()));
        }
    }

    @Override
    public void drain() {
        // Non-blocking: returns 8 with the counter, or -1 (EAGAIN) when it is already 0.
        LibC.read(fd, Pointer.nativeValue(counter), Long.BYTES);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.close(fd);
        one.close();
        counter.close();
    }
}
