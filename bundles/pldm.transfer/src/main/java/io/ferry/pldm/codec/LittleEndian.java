package io.ferry.pldm.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian access to a {@link ByteBuffer} at absolute indexes, whatever the buffer's own
 * {@link ByteBuffer#order() order} and position: the order is fixed by the view handles, so a
 * flyweight never changes (or depends on) the caller's buffer state. Unsigned values widen into
 * the next Java type ({@code u16 -> int}, {@code u32 -> long}); {@code u64} stays a raw
 * {@code long}.
 *
 * <p>Plain (non-atomic) access; misaligned indexes are fine for plain access. Stateless, so any
 * thread may call it; the usual rules for sharing the buffer itself apply.
 */
final class LittleEndian {
    private static final VarHandle I16 =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    static int u8(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    static int u16(ByteBuffer buffer, int index) {
        return ((short) I16.get(buffer, index)) & 0xFFFF;
    }

    static long u32(ByteBuffer buffer, int index) {
        return ((int) I32.get(buffer, index)) & 0xFFFF_FFFFL;
    }

    static int i32(ByteBuffer buffer, int index) {
        return (int) I32.get(buffer, index);
    }

    static long u64(ByteBuffer buffer, int index) {
        return (long) I64.get(buffer, index);
    }

    static void putU8(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) value);
    }

    static void putU16(ByteBuffer buffer, int index, int value) {
        I16.set(buffer, index, (short) value);
    }

    static void putU32(ByteBuffer buffer, int index, long value) {
        I32.set(buffer, index, (int) value);
    }

    static void putU64(ByteBuffer buffer, int index, long value) {
        I64.set(buffer, index, value);
    }

    /** Writes {@code length} zero bytes from {@code index}. */
    static void zero(ByteBuffer buffer, int index, int length) {
        int i = index;
        final int end = index + length;
        while (i + 8 <= end) {
            I64.set(buffer, i, 0L);
            i += 8;
        }
        while (i < end) {
            buffer.put(i++, (byte) 0);
        }
    }
}
