package io.ferry.api.net;

/**
 * Linux errno values used as negative return codes by socket methods ({@code -Errno.EAGAIN}),
 * as Ceph's stacks do. Every stack maps its failures onto these so callers need one table.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int EMSGSIZE = 90;
    public static final int EPROTO = 71;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOTCONN = 107;
    public static final int ESHUTDOWN = 108;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    private Errno() {
    }

    /** @return the symbolic name of an errno value (positive or negative), e.g. {@code ECONNRESET}. */
    public static String name(int errno) {
        switch (Math.abs(errno)) {
            case EPERM: return "EPERM";
            case EINTR: return "EINTR";
            case EIO: return "EIO";
            case EBADF: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case EACCES: return "EACCES";
            case EINVAL: return "EINVAL";
            case EMFILE: return "EMFILE";
            case EPIPE: return "EPIPE";
            case EPROTO: return "EPROTO";
            case EMSGSIZE: return "EMSGSIZE";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            case EADDRINUSE: return "EADDRINUSE";
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
            case ENETUNREACH: return "ENETUNREACH";
            case ECONNABORTED: return "ECONNABORTED";
            case ECONNRESET: return "ECONNRESET";
            case ENOTCONN: return "ENOTCONN";
            case ESHUTDOWN: return "ESHUTDOWN";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ECONNREFUSED: return "ECONNREFUSED";
            case EHOSTUNREACH: return "EHOSTUNREACH";
            case EALREADY: return "EALREADY";
            case EINPROGRESS: return "EINPROGRESS";
            default: return "errno " + Math.abs(errno);
        }
    }
}
