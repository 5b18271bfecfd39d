package io.ferry.core.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.api.net.Errno;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class NioErrorsTest {

    @Test
    void shouldMapTheOperatingSystemsMessages() {
        assertErrno(Errno.ECONNRESET, new IOException("Connection reset by peer"));
        assertErrno(Errno.ECONNRESET, new SocketException("Connection reset"));
        assertErrno(Errno.EPIPE, new IOException("Broken pipe"));
        assertErrno(Errno.ETIMEDOUT, new ConnectException("Connection timed out"));
        assertErrno(Errno.ENETUNREACH, new SocketException("Network is unreachable"));
        assertErrno(Errno.EHOSTUNREACH, new NoRouteToHostException("No route to host"));
        assertErrno(Errno.EADDRNOTAVAIL, new BindException("Cannot assign requested address"));
        assertErrno(Errno.EMFILE, new IOException("Too many open files"));
        assertErrno(Errno.ENOTCONN, new SocketException("Socket is not connected"));
    }

    @Test
    void shouldFallBackOnTheExceptionType() {
        assertErrno(Errno.ECONNREFUSED, new ConnectException());
        assertErrno(Errno.ECONNREFUSED, new ConnectException("Connection refused"));
        assertErrno(Errno.EHOSTUNREACH, new NoRouteToHostException());
        assertErrno(Errno.EADDRINUSE, new BindException());
        assertErrno(Errno.EBADF, new ClosedChannelException());
        assertErrno(Errno.EBADF, new AsynchronousCloseException());
        assertErrno(Errno.EIO, new IOException("something else"));
        assertErrno(Errno.EIO, new IOException());
    }

    private static void assertErrno(int errno, IOException e) {
        assertEquals(-errno, NioErrors.errno(e), e.toString());
    }
}
