package io.ferry.messenger.testing;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.NetworkStack;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link NetworkStack} that delegates to another and records, in order, every byte its
 * outgoing sockets write and read: the TCP stream of a session as its client saw it, to write a
 * pcap from. Listening is passed through unrecorded.
 */
public final class RecordingStack implements NetworkStack {

    /** One chunk of the stream: {@code fromClient} is true for bytes the client wrote. */
    public record Chunk(boolean fromClient, byte[] bytes) {
    }

    private final NetworkStack delegate;
    private final List<Chunk> chunks = new ArrayList<>();
    private volatile SocketAddress clientAddress;
    private volatile SocketAddress serverAddress;

    public RecordingStack(NetworkStack delegate) {
        this.delegate = delegate;
    }

    public synchronized List<Chunk> chunks() {
        return new ArrayList<>(chunks);
    }

    public SocketAddress clientAddress() {
        return clientAddress;
    }

    public SocketAddress serverAddress() {
        return serverAddress;
    }

    private synchronized void record(boolean fromClient, byte[] bytes) {
        if (bytes.length > 0) {
            chunks.add(new Chunk(fromClient, bytes));
        }
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public String driverName() {
        return delegate.driverName();
    }

    @Override
    public List<Worker> workers() {
        return delegate.workers();
    }

    @Override
    public Worker leastLoadedWorker() {
        return delegate.leastLoadedWorker();
    }

    @Override
    public ServerSocket listen(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return delegate.listen(address, options, worker);
    }

    @Override
    public ConnectedSocket connect(SocketAddress address, SocketOptions options, Worker worker) throws IOException {
        return new Recording(delegate.connect(address, options, worker));
    }

    private final class Recording extends ForwardingConnectedSocket {
        Recording(ConnectedSocket s) {
            super(s);
        }

        @Override
        public int isConnected() {
            int c = s.isConnected();
            if (c == 1 && clientAddress == null) {
                clientAddress = s.localAddress();
                serverAddress = s.remoteAddress();
            }
            return c;
        }

        @Override
        public int read(ByteBuffer dst) {
            int start = dst.position();
            int n = s.read(dst);
            if (n > 0) {
                byte[] b = new byte[n];
                dst.get(start, b);
                record(false, b);
            }
            return n;
        }

        @Override
        public long send(BufferList data, boolean more) {
            byte[] before = data.toByteArray();
            long n = s.send(data, more);
            if (n > 0) {
                record(true, Arrays.copyOf(before, (int) n));
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int start = src.position();
            int n = s.write(src);
            if (n > 0) {
                byte[] b = new byte[n];
                src.get(start, b);
                record(true, b);
            }
            return n;
        }
    }
}
