package io.ferry.core.jna;

import java.nio.ByteBuffer;

/**
 * Per-thread off-heap scratch memory for system calls, allocated once per thread and reused by
 * every call on it, so that no read, write or option call allocates: a sockaddr, a
 * {@code socklen_t}, an {@code int} option value, an iovec array with a {@code msghdr} already
 * pointing at it, and a copy area for heap buffers (allocated on first use).
 *
 * <p><b>Threading:</b> {@link #current()} returns the calling thread's instance; it must not be
 * handed to another thread. Contents are valid only between filling them and the system call
 * that reads them. The memory is freed with the thread-local value when the thread ends.
 */
public final class NativeScratch {
    /** iovecs per {@code sendmsg}/{@code writev} call. */
    public static final int IOV_BATCH = 128;
    /** Bytes of heap data copied off-heap per call. */
    public static final int COPY_SIZE = 64 * 1024;

    private static final int SOCKLEN_OFFSET = 0;
    private static final int INT_VALUE_OFFSET = 8;
    private static final int TCP_INFO_OFFSET = 16;
    private static final int WORDS_SIZE = 32;

    private static final ThreadLocal<NativeScratch> CURRENT = ThreadLocal.withInitial(NativeScratch::new);

    private final ByteBuffer sockaddr = NativeBuffers.allocate(SockAddr.STORAGE_SIZE);
    private final long sockaddrAddress = NativeBuffers.address(sockaddr);
    private final ByteBuffer words = NativeBuffers.allocate(WORDS_SIZE);
    private final long wordsAddress = NativeBuffers.address(words);
    private final ByteBuffer iovecs = NativeBuffers.allocate(IOV_BATCH * MsgHdrDescriptor.IOVEC_SIZE);
    private final long iovecsAddress = NativeBuffers.address(iovecs);
    private final ByteBuffer msghdr = NativeBuffers.allocate(MsgHdrDescriptor.SIZE);
    private final long msghdrAddress = NativeBuffers.address(msghdr);
    private ByteBuffer copy;
    private long copyAddress;

    private NativeScratch() {
        msghdr.putLong(MsgHdrDescriptor.IOV_OFFSET, iovecsAddress);
    }

    /** @return the calling thread's scratch. */
    public static NativeScratch current() {
        return CURRENT.get();
    }

    /** @return room for any sockaddr ({@link SockAddr#STORAGE_SIZE} bytes), native order. */
    public ByteBuffer sockaddr() {
        return sockaddr;
    }

    public long sockaddrAddress() {
        return sockaddrAddress;
    }

    /** @return the address of a {@code socklen_t}, for calls that write a length back. */
    public long socklenAddress() {
        return wordsAddress + SOCKLEN_OFFSET;
    }

    public void socklen(int value) {
        words.putInt(SOCKLEN_OFFSET, value);
    }

    public int socklen() {
        return words.getInt(SOCKLEN_OFFSET);
    }

    /** @return the address of an {@code int} for {@code setsockopt}/{@code getsockopt} values. */
    public long intValueAddress() {
        return wordsAddress + INT_VALUE_OFFSET;
    }

    public void intValue(int value) {
        words.putInt(INT_VALUE_OFFSET, value);
    }

    public int intValue() {
        return words.getInt(INT_VALUE_OFFSET);
    }

    /**
     * @return the address of 8 bytes for the head of {@code struct tcp_info}, whose first byte is
     *     {@code tcpi_state}
     */
    public long tcpInfoAddress() {
        return wordsAddress + TCP_INFO_OFFSET;
    }

    /** @return {@code tcpi_state} as the last {@code getsockopt(TCP_INFO)} wrote it. */
    public int tcpInfoState() {
        return words.get(TCP_INFO_OFFSET) & 0xff;
    }

    /** Fills iovec {@code index} (0 ≤ index &lt; {@link #IOV_BATCH}). */
    public void iovec(int index, long base, long length) {
        int at = index * MsgHdrDescriptor.IOVEC_SIZE;
        iovecs.putLong(at + MsgHdrDescriptor.IOV_BASE_OFFSET, base);
        iovecs.putLong(at + MsgHdrDescriptor.IOV_LEN_OFFSET, length);
    }

    public long iovecsAddress() {
        return iovecsAddress;
    }

    /**
     * @param iovCount how many iovecs, from index 0, the {@code msghdr} covers
     * @return the address of a {@code msghdr} with no name and no control data over the iovecs
     */
    public long msghdr(int iovCount) {
        msghdr.putLong(MsgHdrDescriptor.IOVLEN_OFFSET, iovCount);
        return msghdrAddress;
    }

    /** @return a {@link #COPY_SIZE}-byte native-order copy area; position and limit are the caller's to set. */
    public ByteBuffer copyBuffer() {
        if (copy == null) {
            copy = NativeBuffers.allocate(COPY_SIZE);
            copyAddress = NativeBuffers.address(copy);
        }
        return copy;
    }

    /** @return the address of {@link #copyBuffer()}'s element 0. */
    public long copyAddress() {
        copyBuffer();
        return copyAddress;
    }
}
