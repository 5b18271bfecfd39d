package io.ferry.api.event;

import java.nio.channels.SelectableChannel;

/**
 * Something an {@link EventDriver} can wait on: a file descriptor (any kind the kernel can
 * poll: sockets, eventfds, timerfds, AF_XDP sockets) or a JDK {@link SelectableChannel}.
 * A driver says which it takes with {@link EventDriver#accepts(Pollable)}.
 *
 * <p>Any thread may call these methods. What they return does not change while the pollable is
 * open; once it is closed, {@link #fd()} may return -1 rather than a number the kernel may already
 * have reused.
 */
public interface Pollable {
    /** @return the file descriptor, or -1 when this pollable is not backed by one. */
    default int fd() {
        return -1;
    }

    /** @return the JDK channel, or null when this pollable is not a JDK channel. */
    default SelectableChannel channel() {
        return null;
    }

    /** Wraps a raw file descriptor that the caller keeps owning (and closes). */
    static Pollable ofFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        return new Pollable() {
            @Override
            public int fd() {
                return fd;
            }

            @Override
            public String toString() {
                return "fd " + fd;
            }
        };
    }
}
