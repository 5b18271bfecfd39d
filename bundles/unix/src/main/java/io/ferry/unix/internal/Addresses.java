package io.ferry.unix.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native addresses of direct {@link ByteBuffer}s, read without allocating: the buffer's
 * {@code address} field through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, loaded
 * through the platform class loader so the bundle needs no {@code sun.misc} import), cross-checked
 * once against JNI's {@code GetDirectBufferAddress}. When {@code Unsafe} is missing or disagrees,
 * every call uses JNI instead (correct, but allocates a small {@link Pointer}).
 *
 * <p>Stateless after initialization; any thread. The caller keeps the buffer reachable while the
 * address is in use.
 */
public final class Addresses {
    private static final MethodHandle GET_LONG;
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
            ByteBuffer probe = ByteBuffer.allocateDirect(64).position(7).slice();
            long viaUnsafe = (long) candidate.invokeExact((Object) probe, candidateOffset);
            long viaJni;
            try {
                viaJni = Pointer.nativeValue(Native.getDirectBufferPointer(probe));
            } catch (LinkageError e) {
                viaJni = viaUnsafe; // nothing native will run anyway
            }
            if (viaUnsafe == viaJni && viaUnsafe != 0) {
                getter = candidate;
                offset = candidateOffset;
            }
        } catch (Throwable ignored) {
            // JNI fallback below
        }
        GET_LONG = getter;
        ADDRESS_FIELD_OFFSET = offset;
    }

    private Addresses() {
    }

    /** @return a zeroed direct buffer in native byte order. */
    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** @return the address of element 0 of a direct buffer (position not added). */
    public static long address(ByteBuffer buffer) {
        if (GET_LONG != null) {
            try {
                return (long) GET_LONG.invokeExact((Object) buffer, ADDRESS_FIELD_OFFSET);
            } catch (Throwable t) {
                throw new IllegalStateException("reading a direct buffer address failed", t);
            }
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }

    /** @return true when addresses are read without allocating. */
    public static boolean usesUnsafe() {
        return GET_LONG != null;
    }
}
