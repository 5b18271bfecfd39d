package io.ferry.unix.internal;

import java.nio.ByteBuffer;

/**
 * Per-thread off-heap scratch for system calls, allocated once per thread and reused, so that no
 * send, receive or eventfd call allocates: a {@code msghdr} already pointing at one iovec and at a
 * control area big enough for {@link MsgHdrDescriptor#SCM_MAX_FD} descriptors, a
 * {@code socklen_t}, a {@code ucred}, a {@code u64}, a {@code sockaddr_un}, an {@code int[2]},
 * a {@code pollfd}, a {@code timespec}, and a copy area for heap buffers (allocated on first use, grown on demand).
 *
 * <p><b>Threading:</b> {@link #current()} is the calling thread's instance; never hand it to
 * another thread. Contents are valid only between filling them and the call that reads them.
 */
public final class Scratch {
    public static final int MSGHDR_OFFSET = 0;
    public static final int IOVEC_OFFSET = 64;
    public static final int SOCKLEN_OFFSET = 80;
    public static final int UCRED_OFFSET = 88;
    public static final int U64_OFFSET = 104;
    public static final int PAIR_OFFSET = 112;
    public static final int POLLFD_OFFSET = 120;
    public static final int SOCKADDR_OFFSET = 128;
    /** After the {@code sockaddr_un} (128 + 110 = 238), 8-aligned, ending at {@link #CONTROL_OFFSET}. */
    public static final int TIMESPEC_OFFSET = 240;
    public static final int CONTROL_OFFSET = 256;
    /** Room for one SCM_RIGHTS cmsg with the kernel's maximum of descriptors. */
    public static final int CONTROL_SIZE = MsgHdrDescriptor.cmsgSpace(MsgHdrDescriptor.SCM_MAX_FD * Integer.BYTES);
    private static final int SIZE = CONTROL_OFFSET + CONTROL_SIZE;
    private static final int MIN_COPY_SIZE = 64 * 1024;

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** The scratch memory; absolute gets and puts only. */
    public final ByteBuffer memory = Addresses.allocate(SIZE);
    public final long base = Addresses.address(memory);
    private ByteBuffer copy;
    private long copyAddress;

    private Scratch() {
        memory.putLong(MSGHDR_OFFSET + MsgHdrDescriptor.IOV_OFFSET, base + IOVEC_OFFSET);
        memory.putLong(MSGHDR_OFFSET + MsgHdrDescriptor.IOVLEN_OFFSET, 1);
    }

    public static Scratch current() {
        return CURRENT.get();
    }

    /**
     * Prepares the {@code msghdr}: no name, one iovec over {@code [address, address + length)},
     * {@code controlLength} bytes of control room at {@link #CONTROL_OFFSET} (0 for none), flags 0.
     *
     * @return the {@code msghdr}'s address
     */
    public long msghdr(long address, long length, int controlLength) {
        memory.putLong(IOVEC_OFFSET + MsgHdrDescriptor.IOV_BASE_OFFSET, address);
        memory.putLong(IOVEC_OFFSET + MsgHdrDescriptor.IOV_LEN_OFFSET, length);
        memory.putLong(MSGHDR_OFFSET + MsgHdrDescriptor.NAME_OFFSET, 0L);
        memory.putInt(MSGHDR_OFFSET + MsgHdrDescriptor.NAMELEN_OFFSET, 0);
        memory.putLong(MSGHDR_OFFSET + MsgHdrDescriptor.CONTROL_OFFSET, controlLength == 0 ? 0L : base + CONTROL_OFFSET);
        memory.putLong(MSGHDR_OFFSET + MsgHdrDescriptor.CONTROLLEN_OFFSET, controlLength);
        memory.putInt(MSGHDR_OFFSET + MsgHdrDescriptor.FLAGS_OFFSET, 0);
        return base + MSGHDR_OFFSET;
    }

    /** @return {@code msg_flags} as the last {@code recvmsg} wrote it. */
    public int msgFlags() {
        return memory.getInt(MSGHDR_OFFSET + MsgHdrDescriptor.FLAGS_OFFSET);
    }

    /** @return {@code msg_controllen} as the last {@code recvmsg} wrote it. */
    public int controlLength() {
        return (int) memory.getLong(MSGHDR_OFFSET + MsgHdrDescriptor.CONTROLLEN_OFFSET);
    }

    /** @return a native-order copy area of at least {@code size} bytes at position 0, limit {@code size}. */
    public ByteBuffer copyBuffer(int size) {
        if (copy == null || copy.capacity() < size) {
            copy = Addresses.allocate(Math.max(MIN_COPY_SIZE, Integer.highestOneBit(Math.max(1, size - 1)) << 1));
            copyAddress = Addresses.address(copy);
        }
        copy.clear().limit(size);
        return copy;
    }

    /** @return the address of {@link #copyBuffer(int)}'s element 0 (call that first). */
    public long copyAddress() {
        return copyAddress;
    }
}
