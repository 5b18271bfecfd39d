package io.ferry.messenger.testing;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * A {@link ConnectedSocket} that hands every call to another; test wrappers override what they
 * watch or break. Called on whatever thread calls the wrapped socket (its worker's loop).
 */
class ForwardingConnectedSocket implements ConnectedSocket {
    /** The socket every call goes to. */
    protected final ConnectedSocket s;

    ForwardingConnectedSocket(ConnectedSocket s) {
        this.s = s;
    }

    @Override
    public int fd() {
        return s.fd();
    }

    @Override
    public SelectableChannel channel() {
        return s.channel();
    }

    @Override
    public int isConnected() {
        return s.isConnected();
    }

    @Override
    public int read(ByteBuffer dst) {
        return s.read(dst);
    }

    @Override
    public boolean shortReadDrains() {
        return s.shortReadDrains();
    }

    @Override
    public long send(BufferList data, boolean more) {
        return s.send(data, more);
    }

    @Override
    public int write(ByteBuffer src) {
        return s.write(src);
    }

    @Override
    public int shutdownOutput() {
        return s.shutdownOutput();
    }

    @Override
    public SocketAddress localAddress() {
        return s.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return s.remoteAddress();
    }

    @Override
    public Worker worker() {
        return s.worker();
    }

    @Override
    public boolean isOpen() {
        return s.isOpen();
    }

    @Override
    public void close() {
        s.close();
    }
}
