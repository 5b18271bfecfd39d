package io.ferry.unix;

import io.ferry.api.event.Pollable;
import io.ferry.unix.internal.LibC;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An owned file descriptor closed exactly once, whichever threads call {@link #close()} and how
 * often. {@link #fd()} returns -1 once closed, and I/O methods then return {@code -EBADF}.
 */
abstract class NativeDescriptor implements Pollable, AutoCloseable {
    private static final VarHandle FD;

    static {
        try {
            FD = MethodHandles.lookup().findVarHandle(NativeDescriptor.class, "fd", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through FD
    private volatile int fd;

    NativeDescriptor(int fd) {
        this.fd = fd;
    }

    /**
     * @return the descriptor, for an {@link io.ferry.api.event.EventDriver} or for passing with
     *     SCM_RIGHTS; -1 once closed. Still owned by this object: do not close it yourself.
     */
    @Override
    public final int fd() {
        return fd;
    }

    /** @return true until {@link #close()} has been called. */
    public final boolean isOpen() {
        return fd >= 0;
    }

    /**
     * Takes the descriptor away from this object, which is then closed without closing it: the
     * caller now owns it.
     *
     * @return the descriptor, or -1 if already closed or released
     */
    final int release() {
        return (int) FD.getAndSet(this, -1);
    }

    /** Closes the descriptor if this call is the first; returns whether it was. */
    final boolean closeDescriptor() {
        int old = (int) FD.getAndSet(this, -1);
        if (old < 0) {
            return false;
        }
        LibC.close(old); // Linux releases the descriptor even when close reports EINTR or EIO.
        return true;
    }

    /**
     * Closes the descriptor exactly once; later and concurrent calls do nothing. Deregister it
     * from any {@link io.ferry.api.event.EventDriver} first, and do not race this with I/O on
     * another thread: the number may be reused by the next descriptor the process opens.
     */
    @Override
    public void close() {
        closeDescriptor();
    }
}
