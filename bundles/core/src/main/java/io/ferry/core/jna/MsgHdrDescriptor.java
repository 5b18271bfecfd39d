package io.ferry.core.jna;

/**
 * Layouts of {@code struct msghdr} and {@code struct iovec} on 64-bit Linux (x86-64 and aarch64
 * share them), in native byte order:
 *
 * <pre>
 * struct iovec  { void *iov_base;  size_t iov_len; }                  16 bytes
 * struct msghdr { void *msg_name;       socklen_t msg_namelen; (pad 4)
 *                 struct iovec *msg_iov; size_t msg_iovlen;
 *                 void *msg_control;     size_t msg_controllen;
 *                 int msg_flags; (pad 4) }                            56 bytes
 * </pre>
 *
 * <p>Constants only; any thread.
 */
public final class MsgHdrDescriptor {
    public static final int NAME_OFFSET = 0;
    public static final int NAMELEN_OFFSET = 8;
    public static final int IOV_OFFSET = 16;
    public static final int IOVLEN_OFFSET = 24;
    public static final int CONTROL_OFFSET = 32;
    public static final int CONTROLLEN_OFFSET = 40;
    public static final int FLAGS_OFFSET = 48;
    /** Size of {@code struct msghdr}. */
    public static final int SIZE = 56;

    /** Offset of {@code iov_base} within one iovec. */
    public static final int IOV_BASE_OFFSET = 0;
    /** Offset of {@code iov_len} within one iovec. */
    public static final int IOV_LEN_OFFSET = 8;
    /** Size of {@code struct iovec}, the stride of an iovec array. */
    public static final int IOVEC_SIZE = 16;

    private MsgHdrDescriptor() {
    }
}
