package io.ferry.netstack.shm.stack;

import io.ferry.api.event.Worker;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.ServerSocket;
import io.ferry.api.net.SocketOptions;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import io.ferry.netstack.shm.server.NodeListener;
import io.ferry.unix.UnixException;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener of the node-side {@code shm} stack, registered by name ({@code node/...}) with the
 * stack's server: clients' CONNECTs and the node's own connects are queued here (up to the
 * backlog; beyond it a connect is refused with {@code ECONNREFUSED}) until {@link #accept}.
 * Its {@link #localAddress()} is the address it was asked for: a {@code ShmAddress}, or the
 * {@code InetSocketAddress} an {@code node/inet/...} name stands for (see {@link InetNames}).
 * Readable (its {@link Readiness} descriptor) while connections are queued.
 *
 * <p><b>Threading.</b> {@link #accept} on the owner's loop; {@link #offer} from any thread;
 * {@link #close()} and the getters from any thread.
 */
final class ShmServerSocket extends ShmStackSocket implements ServerSocket, NodeListener {

    private record Pending(StreamChannelEnd end, SocketAddress peer) {
    }

    private final ShmNetworkStack stack;
    private final String name;
    private final SocketAddress address;
    private final int backlog;
    private final Readiness readiness;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean closing;

    ShmServerSocket(ShmNetworkStack stack, Worker worker, Tracker tracker, String name, SocketAddress address,
            int backlog) throws UnixException {
        super(worker, tracker);
        Readiness r;
        try {
            r = new Readiness();
        } catch (UnixException e) {
            worker.release();
            throw e;
        }
        this.readiness = r;
        this.stack = stack;
        this.name = name;
        this.address = address;
        this.backlog = backlog;
    }

    @Override
    public boolean offer(StreamChannelEnd end, String peerAddress, int peerPid) {
        synchronized (queue) {
            if (closing || failedByStack() || queue.size() >= backlog) {
                return false;
            }
            queue.add(new Pending(end, InetNames.peerAddress(peerAddress)));
            readiness.setReadable(true);
            return true;
        }
    }

    @Override
    public int fd() {
        return readiness.pollable().fd();
    }

    @Override
    public ConnectedSocket accept(SocketOptions options, Worker target) throws IOException {
        if (failedByStack()) {
            throw new IOException("the shm stack shut down");
        }
        if (!isOpen()) {
            throw new IOException("listener " + address + " is closed");
        }
        Pending p;
        synchronized (queue) {
            p = queue.poll();
            if (queue.isEmpty()) {
                readiness.setReadable(false);
            }
        }
        if (p == null) {
            return null;
        }
        Worker owner = target == null ? worker : stack.own(target);
        try {
            return ShmConnectedSocket.connected(owner, stack.tracker(), p.end(), address, p.peer());
        } catch (UnixException e) {
            p.end().close();
            throw e;
        }
    }

    @Override
    protected void onFailedByStack() {
        readiness.setReadable(true);
    }

    @Override
    protected void closeResource() {
        stack.unregister(name, this);
        List<Pending> drop;
        synchronized (queue) {
            closing = true;
            drop = new ArrayList<>(queue);
            queue.clear();
        }
        for (Pending p : drop) {
            p.end().close();
        }
        readiness.close();
    }

    @Override
    public SocketAddress localAddress() {
        return address;
    }

    @Override
    public Worker worker() {
        return worker;
    }

    @Override
    public String toString() {
        return "shm listener " + address + " on " + worker;
    }
}
