package io.ferry.unix.internal;

/**
 * Layouts on 64-bit Linux (x86-64 and aarch64 share them), native byte order:
 *
 * <pre>
 * struct iovec   { void *iov_base; size_t iov_len; }                          16 bytes
 * struct msghdr  { void *msg_name; socklen_t msg_namelen; (pad 4)
 *                  struct iovec *msg_iov; size_t msg_iovlen;
 *                  void *msg_control; size_t msg_controllen;
 *                  int msg_flags; (pad 4) }                                   56 bytes
 * struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; data... } 16-byte header,
 *                  each cmsg padded to 8 bytes (CMSG_ALIGN)
 * struct ucred   { pid_t pid; uid_t uid; gid_t gid; }                         12 bytes
 * struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }         110 bytes
 * struct pollfd  { int fd; short events; short revents; }                      8 bytes
 * struct timespec { time_t tv_sec; long tv_nsec; }                           16 bytes
 * </pre>
 *
 * <p>Constants and pure arithmetic only; any thread.
 */
public final class MsgHdrDescriptor {
    public static final int NAME_OFFSET = 0;
    public static final int NAMELEN_OFFSET = 8;
    public static final int IOV_OFFSET = 16;
    public static final int IOVLEN_OFFSET = 24;
    public static final int CONTROL_OFFSET = 32;
    public static final int CONTROLLEN_OFFSET = 40;
    public static final int FLAGS_OFFSET = 48;
    public static final int SIZE = 56;

    public static final int IOV_BASE_OFFSET = 0;
    public static final int IOV_LEN_OFFSET = 8;
    public static final int IOVEC_SIZE = 16;

    public static final int CMSG_LEN_OFFSET = 0;
    public static final int CMSG_LEVEL_OFFSET = 8;
    public static final int CMSG_TYPE_OFFSET = 12;
    public static final int CMSG_HEADER_SIZE = 16;

    public static final int UCRED_PID_OFFSET = 0;
    public static final int UCRED_UID_OFFSET = 4;
    public static final int UCRED_GID_OFFSET = 8;
    public static final int UCRED_SIZE = 12;

    public static final int SUN_FAMILY_OFFSET = 0;
    public static final int SUN_PATH_OFFSET = 2;
    public static final int SUN_PATH_SIZE = 108;
    public static final int SOCKADDR_UN_SIZE = SUN_PATH_OFFSET + SUN_PATH_SIZE;

    public static final int POLLFD_FD_OFFSET = 0;
    public static final int POLLFD_EVENTS_OFFSET = 4;
    public static final int POLLFD_REVENTS_OFFSET = 6;
    public static final int POLLFD_SIZE = 8;

    public static final int TIMESPEC_SEC_OFFSET = 0;
    public static final int TIMESPEC_NSEC_OFFSET = 8;
    public static final int TIMESPEC_SIZE = 16;

    /** The kernel's limit of descriptors per SCM_RIGHTS message ({@code SCM_MAX_FD}). */
    public static final int SCM_MAX_FD = 253;

    private MsgHdrDescriptor() {
    }

    /** {@code CMSG_ALIGN}: rounds up to a multiple of 8. */
    public static int cmsgAlign(int length) {
        return (length + 7) & ~7;
    }

    /** {@code CMSG_LEN(dataLength)}: the {@code cmsg_len} of a cmsg carrying that much data. */
    public static int cmsgLen(int dataLength) {
        return CMSG_HEADER_SIZE + dataLength;
    }

    /** {@code CMSG_SPACE(dataLength)}: the room one cmsg with that much data takes. */
    public static int cmsgSpace(int dataLength) {
        return CMSG_HEADER_SIZE + cmsgAlign(dataLength);
    }
}
