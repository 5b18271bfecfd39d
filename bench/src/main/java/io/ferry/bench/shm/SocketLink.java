package io.ferry.bench.shm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A kernel socket link in blocking mode: TCP over 127.0.0.1 with {@code TCP_NODELAY} on both
 * ends, or a Unix domain stream socket (JDK 16+ {@code SocketChannel} with
 * {@code UnixDomainSocketAddress}). One {@code write(2)} per message, reads of what is there.
 * Default socket buffer sizes. A blocked read ends when the child watchdog kills the child.
 */
final class SocketLink implements Link {
    private final String id;
    private final String label;
    private final SocketChannel channel;

    private SocketLink(String id, String label, SocketChannel channel) {
        this.id = id;
        this.label = label;
        this.channel = channel;
    }

    /** Asks the child to listen on TCP and connects to it. */
    static SocketLink tcp(ChildProcess child, String id) throws IOException, InterruptedException {
        int port = Integer.parseInt(child.command("tcp " + id));
        SocketChannel ch = SocketChannel.open();
        try {
            ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new SocketLink(id, "tcp loopback", ch);
    }

    /** Asks the child to listen on a Unix stream socket at {@code path} and connects to it. */
    static SocketLink unix(ChildProcess child, String id, Path path) throws IOException, InterruptedException {
        child.command("uds " + id + " " + path);
        SocketAddress address = UnixDomainSocketAddress.of(path);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(address);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new SocketLink(id, "unix stream socket", ch);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean pinned() {
        return false;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        while (message.hasRemaining()) {
            channel.write(message);
        }
    }

    @Override
    public void awaitAnswer(ByteBuffer scratch) throws IOException {
        while (scratch.hasRemaining()) {
            if (channel.read(scratch) < 0) {
                throw new IOException(label + ": the child closed the connection");
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to free beyond the descriptor, which close released or never had
        }
    }
}
