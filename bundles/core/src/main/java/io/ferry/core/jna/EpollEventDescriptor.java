package io.ferry.core.jna;

/**
 * Layout of {@code struct epoll_event} ({@code include/uapi/linux/eventpoll.h}):
 * {@code u32 events} then {@code u64 data}. On x86-64 the kernel declares it
 * {@code __attribute__((packed))}, so it is 12 bytes with {@code data} at offset 4; on other 64-bit
 * ABIs (aarch64) it is naturally aligned: 16 bytes with {@code data} at offset 8. Fields are in
 * native byte order.
 *
 * <p>Constants only; any thread.
 */
public final class EpollEventDescriptor {
    /** Offset of {@code u32 events}. */
    public static final int EVENTS_OFFSET = 0;
    /** Offset of {@code u64 data}. */
    public static final int DATA_OFFSET;
    /** Size of one {@code epoll_event}, the stride of an array of them. */
    public static final int SIZE;

    static {
        boolean packed = LibC.Layout.isX86_64();
        DATA_OFFSET = packed ? 4 : 8;
        SIZE = packed ? 12 : 16;
    }

    private EpollEventDescriptor() {
    }
}
