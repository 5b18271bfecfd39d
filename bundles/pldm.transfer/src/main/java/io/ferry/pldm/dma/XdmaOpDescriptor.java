package io.ferry.pldm.dma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The layout of {@code struct aspeed_xdma_op} as written to {@code /dev/aspeed-xdma} (openbmc/pldm
 * {@code AspeedXdmaOp}; the kernel's {@code include/uapi/linux/aspeed-xdma.h}): 16 bytes,
 * little-endian on the AST2500/2600, packed without padding.
 *
 * <pre>
 *  0  u64 host_addr   bus address on the host side (configured by the PCI subsystem)
 *  8  u32 len         bytes to move, a non-zero multiple of 16
 * 12  u32 upstream    1 = BMC to host (ReadFileIntoMemory), 0 = host to BMC
 * </pre>
 *
 * Stateless; any thread; writes at absolute indexes and never allocates.
 */
public final class XdmaOpDescriptor {
    public static final int HOST_ADDRESS_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int UPSTREAM_OFFSET = 12;
    /** {@code sizeof(struct aspeed_xdma_op)}: the exact length of one write. */
    public static final int SIZE = 16;

    private static final VarHandle I32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private XdmaOpDescriptor() {
    }

    /** Encodes one op at {@code index} of {@code buffer}, little-endian whatever the buffer's order. */
    public static void encode(ByteBuffer buffer, int index, long hostAddress, int length, int upstream) {
        I64.set(buffer, index + HOST_ADDRESS_OFFSET, hostAddress);
        I32.set(buffer, index + LENGTH_OFFSET, length);
        I32.set(buffer, index + UPSTREAM_OFFSET, upstream);
    }

    /** @return the op's {@code host_addr}. */
    public static long hostAddress(ByteBuffer buffer, int index) {
        return (long) I64.get(buffer, index + HOST_ADDRESS_OFFSET);
    }

    /** @return the op's {@code len} as an unsigned value. */
    public static long length(ByteBuffer buffer, int index) {
        return Integer.toUnsignedLong((int) I32.get(buffer, index + LENGTH_OFFSET));
    }

    /** @return the op's {@code upstream}. */
    public static int upstream(ByteBuffer buffer, int index) {
        return (int) I32.get(buffer, index + UPSTREAM_OFFSET);
    }
}
