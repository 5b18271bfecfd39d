package io.ferry.unix.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * {@code memfd_create(2)}, bound on its own: glibc exports it since 2.27, and a libc without it
 * must cost only memfd (shared memory then falls back to a file under {@code /dev/shm}), not
 * every other call in {@link LibC}. Stateless; any thread.
 */
public final class Memfd {
    private static final boolean AVAILABLE = bind();

    private Memfd() {
    }

    /** @return true if {@link #memfd_create} can be called. */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    private static boolean bind() {
        if (!LibC.isAvailable()) {
            return false;
        }
        try {
            Native.register(Memfd.class, NativeLibrary.getInstance("c"));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    public static native int memfd_create(String name, int flags);
}
