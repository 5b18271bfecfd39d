package io.ferry.core.jna;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Off-heap memory for native calls: direct {@link ByteBuffer}s in native byte order (freed by the
 * garbage collector with their buffer), and the raw address of any direct buffer, so that
 * {@link LibC} calls take a {@code long} instead of a marshalled object.
 *
 * <p><b>How the address is read.</b> {@link #address(ByteBuffer)} is on the per-read and per-write
 * path, so it must neither allocate nor cross into native code. It reads the buffer's
 * {@code address} field through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, which
 * opens it; loaded through the platform class loader, so the bundle needs no
 * {@code sun.misc} import), the technique Netty and Agrona use. At class initialization the
 * result is cross-checked against JNI's {@code GetDirectBufferAddress} (via
 * {@link Native#getDirectBufferPointer}); if {@code Unsafe} is missing or disagrees, every call
 * falls back to that JNI call, which is correct but allocates a small {@link Pointer}.
 * {@link #usesUnsafe()} tells which path is active.
 *
 * <p><b>Threading.</b> Stateless after initialization; any thread. The caller keeps the buffer
 * reachable for as long as the address is in use (a native call in progress, an iovec being
 * filled), or the memory may be freed under it.
 */
public final class NativeBuffers {
    private static final Logger LOG = LoggerFactory.getLogger(NativeBuffers.class);

    /** Reads a {@code long} field: {@code Unsafe.getLong(Object, long)} bound to the instance. */
    private static final MethodHandle GET_LONG;
    /** Offset of {@code java.nio.Buffer.address}, or -1 when the JNI fallback is in use. */
    private static final long ADDRESS_FIELD_OFFSET;

    static {
        MethodHandle getter = null;
        long offset = -1;
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe", false, ClassLoader.getPlatformClassLoader());
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle fieldOffset = lookup.findVirtual(unsafeClass, "objectFieldOffset",
                    MethodType.methodType(long.class, Field.class));
            long candidateOffset = (long) fieldOffset.invoke(unsafe, Buffer.class.getDeclaredField("address"));
            MethodHandle candidate = lookup.findVirtual(unsafeClass, "getLong",
                    MethodType.methodType(long.class, Object.class, long.class)).bindTo(unsafe);
            if (agreesWithJni(candidate, candidateOffset)) {
                getter = candidate;
                offset = candidateOffset;
            } else {
                LOG.warn("direct buffer addresses via Unsafe disagree with JNI; using JNI (allocates per call)");
            }
        } catch (Throwable t) {
            LOG.info("sun.misc.Unsafe not usable ({}); direct buffer addresses come from JNI (allocates per call)",
                    t.toString());
        }
        GET_LONG = getter;
        ADDRESS_FIELD_OFFSET = offset;
    }

    private NativeBuffers() {
    }

    /** @return a zeroed direct buffer of {@code size} bytes in native byte order. */
    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /**
     * @return the address of element 0 of a direct buffer (its position is not added)
     * @throws IllegalArgumentException if {@code buffer} is not direct
     */
    public static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + buffer);
        }
        if (GET_LONG != null) {
            try {
                return (long) GET_LONG.invokeExact((Object) buffer, ADDRESS_FIELD_OFFSET);
            } catch (Throwable t) {
                throw new IllegalStateException("reading a direct buffer address failed", t);
            }
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }

    /** @return the address of the buffer's current position. */
    public static long addressAtPosition(ByteBuffer buffer) {
        return address(buffer) + buffer.position();
    }

    /** @return true if addresses are read without allocating (the {@code Unsafe} path). */
    public static boolean usesUnsafe() {
        return GET_LONG != null;
    }

    private static boolean agreesWithJni(MethodHandle getter, long offset) throws Throwable {
        ByteBuffer probe = ByteBuffer.allocateDirect(64);
        ByteBuffer slice = probe.position(7).slice();
        long viaUnsafe = (long) getter.invokeExact((Object) slice, offset);
        long viaJni;
        try {
            viaJni = Pointer.nativeValue(Native.getDirectBufferPointer(slice));
        } catch (LinkageError e) {
            // JNA's native part cannot load: nothing native will run, the Unsafe value is moot.
            return viaUnsafe != 0;
        }
        return viaUnsafe == viaJni && viaUnsafe != 0;
    }
}
