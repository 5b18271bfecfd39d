package io.ferry.bench.msgr;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.ConnectionListener;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.core.epoll.EpollDriverFactory;
import io.ferry.core.posix.PosixNetworkStack;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ferry's side: a server messenger on a posix stack with one epoll worker echoes every message
 * (moving its sections into the reply, no copy); {@code connections} client messengers on a second
 * one-worker stack each hold one lossless_peer session to it (msgr v1: header crc, footer with the
 * sections' crc32c, seq/ack). The payload travels in the front section; the client sends it from
 * a direct buffer, as the Netty client sends its pooled direct payload.
 *
 * <p><b>Threading:</b> as {@link PingPongSystem}; dispatchers run on the stacks' worker threads.
 */
final class FerryMessengerSystem implements PingPongSystem {
    static final int TYPE_BENCH = 0x7F10;
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private PosixNetworkStack serverStack;
    private PosixNetworkStack clientStack;
    private AsyncMessenger server;
    private final List<AsyncMessenger> clients = new ArrayList<>();
    private PingPongRecorder recorder;

    @Override
    public String label() {
        return "ferry/msgr";
    }

    @Override
    public void start(int size, int connections, PingPongRecorder recorder) throws Exception {
        this.recorder = recorder;
        serverStack = new PosixNetworkStack("bench-msgr-server", new EpollDriverFactory(), 1);
        serverStack.pollBeforeSleep(MessengerSuite.pollNanos());
        serverStack.start();
        clientStack = new PosixNetworkStack("bench-msgr-client", new EpollDriverFactory(), 1);
        clientStack.pollBeforeSleep(MessengerSuite.pollNanos());
        clientStack.start();
        server = new AsyncMessenger(serverStack, MessengerSettings.defaults("bench-server", EntityName.osd(0)));
        server.setDefaultPolicy(Policy.losslessPeer());
        server.addDispatcher(new Echo());
        EntityAddress addr = server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CountDownLatch connected = new CountDownLatch(connections);
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            payload.put(i, (byte) i);
        }
        for (int i = 0; i < connections; i++) {
            AsyncMessenger c = new AsyncMessenger(clientStack, MessengerSettings.defaults("bench-client-" + i,
                    EntityName.osd(i + 1)));
            clients.add(c);
            PingPong p = new PingPong(payload, recorder, connected);
            c.addDispatcher(p);
            c.addListener(p);
            c.connect(addr, EntityName.TYPE_OSD, Policy.losslessPeer());
        }
        if (!connected.await(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IOException("ferry: " + connected.getCount() + " of " + connections + " sessions did not open within "
                    + START_TIMEOUT_MILLIS + " ms" + (recorder.failure() == null ? "" : ": " + recorder.failure()));
        }
    }

    @Override
    public boolean runOnClient(Runnable task) {
        return clientStack != null && clientStack.workers().get(0).center().execute(task);
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.closing();
        }
        for (AsyncMessenger c : clients) {
            c.shutdown();
        }
        if (server != null) {
            server.shutdown();
        }
        try {
            for (AsyncMessenger c : clients) {
                c.awaitClosed(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (server != null) {
                server.awaitClosed(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (clientStack != null) {
            clientStack.stop(STOP_TIMEOUT_MILLIS);
        }
        if (serverStack != null) {
            serverStack.stop(STOP_TIMEOUT_MILLIS);
        }
    }

    /** Echo on the server's worker: the reply takes over the request's sections. */
    static final class Echo implements Dispatcher {
        @Override
        public boolean wants(int type) {
            return type == TYPE_BENCH;
        }

        @Override
        public boolean dispatch(Connection connection, Message m) {
            Message reply = new Message(TYPE_BENCH, new BufferList().append(m.front()), new BufferList(), new BufferList());
            m.release();
            connection.send(reply);
            return true;
        }
    }

    /** One client session: one message in flight; runs on the client worker. */
    static final class PingPong implements Dispatcher, ConnectionListener {
        /** Read-only to everyone: each message takes its own view of it. */
        private final ByteBuffer payload;
        private final PingPongRecorder recorder;
        private final CountDownLatch connected;
        private Connection connection;
        private boolean idle = true;
        private long sentAt;

        PingPong(ByteBuffer payload, PingPongRecorder recorder, CountDownLatch connected) {
            this.payload = payload;
            this.recorder = recorder;
            this.connected = connected;
        }

        @Override
        public void onConnect(Connection c) {
            if (connection == null) {
                connection = c;
                recorder.connected(this::kick);
                connected.countDown();
            }
        }

        void kick() {
            if (idle && connection != null) {
                idle = false;
                send();
            }
        }

        private void send() {
            sentAt = System.nanoTime();
            connection.send(new Message(TYPE_BENCH, new BufferList().append(payload), new BufferList(), new BufferList()));
        }

        @Override
        public boolean wants(int type) {
            return type == TYPE_BENCH;
        }

        @Override
        public boolean dispatch(Connection c, Message m) {
            long rtt = System.nanoTime() - sentAt;
            long len = m.front().length();
            m.release();
            if (len != payload.capacity()) {
                recorder.fail(new IOException("ferry: echo of " + len + " B for " + payload.capacity() + " B"));
                return true;
            }
            recorder.record(rtt);
            if (recorder.isStopping()) {
                idle = true;
            } else {
                send();
            }
            return true;
        }

        @Override
        public void onFault(Connection c, String reason) {
            recorder.fail(new IOException("ferry: session fault: " + reason));
        }

        @Override
        public void onReset(Connection c, String reason) {
            recorder.fail(new IOException("ferry: session reset: " + reason));
        }
    }
}
