package io.ferry.core.nio;

import io.ferry.api.net.Errno;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Maps the {@link IOException}s of JDK channels onto negative {@link Errno} codes, so the NIO
 * sockets answer with the same return codes as the native ones. The JDK reports the operating
 * system's {@code strerror} text in the message, and a few failures as dedicated exception types;
 * the message is checked first because it is the more precise of the two.
 *
 * <p>Stateless; any thread.
 */
final class NioErrors {
    private NioErrors() {
    }

    /** @return the negative errno for {@code e}; {@code -EIO} when nothing more precise is known. */
    static int errno(IOException e) {
        if (e instanceof ClosedChannelException) {
            return -Errno.EBADF;
        }
        int fromMessage = fromMessage(e.getMessage());
        if (fromMessage != 0) {
            return fromMessage;
        }
        if (e instanceof ConnectException || e instanceof PortUnreachableException) {
            return -Errno.ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return -Errno.EHOSTUNREACH;
        }
        if (e instanceof BindException) {
            return -Errno.EADDRINUSE;
        }
        return -Errno.EIO;
    }

    private static int fromMessage(String message) {
        if (message == null) {
            return 0;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("connection reset")) {
            return -Errno.ECONNRESET;
        }
        if (m.contains("broken pipe")) {
            return -Errno.EPIPE;
        }
        if (m.contains("connection refused")) {
            return -Errno.ECONNREFUSED;
        }
        if (m.contains("timed out")) {
            return -Errno.ETIMEDOUT;
        }
        if (m.contains("no route to host") || m.contains("host is unreachable")) {
            return -Errno.EHOSTUNREACH;
        }
        if (m.contains("network is unreachable")) {
            return -Errno.ENETUNREACH;
        }
        if (m.contains("connection abort")) {
            return -Errno.ECONNABORTED;
        }
        if (m.contains("not connected")) {
            return -Errno.ENOTCONN;
        }
        if (m.contains("too many open files")) {
            return -Errno.EMFILE;
        }
        if (m.contains("address already in use")) {
            return -Errno.EADDRINUSE;
        }
        if (m.contains("cannot assign requested address")) {
            return -Errno.EADDRNOTAVAIL;
        }
        if (m.contains("permission denied")) {
            return -Errno.EACCES;
        }
        if (m.contains("operation not permitted")) {
            return -Errno.EPERM;
        }
        if (m.contains("cannot allocate memory") || m.contains("no buffer space")) {
            return -Errno.ENOMEM;
        }
        if (m.contains("protocol error")) {
            return -Errno.EPROTO;
        }
        return 0;
    }
}
