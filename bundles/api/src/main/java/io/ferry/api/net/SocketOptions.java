package io.ferry.api.net;

/**
 * Options applied to a socket when it is created, listened on or accepted. Immutable; any thread.
 * A buffer size of 0 keeps the stack's default. Stacks ignore options that do not apply to them
 * (an in-memory stack has no Nagle algorithm) and say so in their documentation.
 *
 * @param noDelay disable Nagle's algorithm (TCP_NODELAY); on by default, as in Ceph
 * @param receiveBufferSize SO_RCVBUF in bytes, 0 for the default
 * @param sendBufferSize SO_SNDBUF in bytes, 0 for the default
 * @param keepAlive SO_KEEPALIVE
 * @param reuseAddress SO_REUSEADDR on listeners; on by default
 * @param backlog listen backlog
 */
public record SocketOptions(boolean noDelay, int receiveBufferSize, int sendBufferSize, boolean keepAlive,
        boolean reuseAddress, int backlog) {

    /** No delay, default buffers, no keep-alive, reuse address, backlog 512. */
    public static final SocketOptions DEFAULT = new SocketOptions(true, 0, 0, false, true, 512);

    public SocketOptions {
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("negative buffer size");
        }
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
    }

    public SocketOptions withNoDelay(boolean value) {
        return new SocketOptions(value, receiveBufferSize, sendBufferSize, keepAlive, reuseAddress, backlog);
    }

    public SocketOptions withReceiveBufferSize(int value) {
        return new SocketOptions(noDelay, value, sendBufferSize, keepAlive, reuseAddress, backlog);
    }

    public SocketOptions withSendBufferSize(int value) {
        return new SocketOptions(noDelay, receiveBufferSize, value, keepAlive, reuseAddress, backlog);
    }

    public SocketOptions withKeepAlive(boolean value) {
        return new SocketOptions(noDelay, receiveBufferSize, sendBufferSize, value, reuseAddress, backlog);
    }

    public SocketOptions withBacklog(int value) {
        return new SocketOptions(noDelay, receiveBufferSize, sendBufferSize, keepAlive, reuseAddress, value);
    }
}
