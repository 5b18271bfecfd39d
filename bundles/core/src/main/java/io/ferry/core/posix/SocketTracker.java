package io.ferry.core.posix;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sockets of one stack, so that stopping the stack fails every one of them instead of
 * leaving a caller waiting. Thread-safe.
 */
public final class SocketTracker {
    private final Set<StackSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Adds a fully constructed socket; if the stack already stopped, the socket is failed at once.
     *
     * @return the socket, for chaining in the providers
     */
    public <T extends StackSocket> T track(T socket) {
        open.add(socket);
        if (closed) {
            socket.failByStack();
        }
        return socket;
    }

    /** Removes a socket that closed. */
    public void remove(StackSocket socket) {
        open.remove(socket);
    }

    /** @return the number of open sockets. */
    public int size() {
        return open.size();
    }

    /** @return a snapshot of the open sockets. */
    public List<StackSocket> snapshot() {
        return new ArrayList<>(open);
    }

    /** Marks every socket (and any added later) as failed by the stack's shutdown. */
    public void failAll() {
        closed = true;
        for (StackSocket s : snapshot()) {
            s.failByStack();
        }
    }

    /** Closes whatever is still open (after the workers stopped). */
    public void closeRemaining() {
        for (StackSocket s : snapshot()) {
            s.close();
        }
    }
}
