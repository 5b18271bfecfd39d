package io.ferry.netstack.shm.client;

import java.util.ArrayDeque;

/**
 * A name an {@link ShmClient} listens on. Connections arrive through the client's control socket
 * (the server sends ACCEPT and the channel); {@link #accept()} hands them out in order.
 *
 * <p><b>Threading.</b> Any thread (the state is guarded by the client's lock); a blocking
 * {@link #accept(long)} does not hold the lock while it sleeps.
 */
public final class ShmListener implements AutoCloseable {

    private final ShmClient client;
    private final long id;
    private final ShmAddress address;
    private final int backlog;
    final ArrayDeque<ShmSocket> pending = new ArrayDeque<>();
    boolean closed;

    ShmListener(ShmClient client, long id, ShmAddress address, int backlog) {
        this.client = client;
        this.id = id;
        this.address = address;
        this.backlog = backlog;
    }

    /** @return the next connection, or null if none has arrived (non-blocking). */
    public ShmSocket accept() {
        return client.accept(this, 0);
    }

    /**
     * Waits at most {@code timeoutNanos} for a connection.
     *
     * @return the connection, or null on timeout (or after {@link #close()})
     */
    public ShmSocket accept(long timeoutNanos) {
        return client.accept(this, timeoutNanos);
    }

    /** @return the client's control socket, readable when an ACCEPT (or any control message) arrives; then call {@link #accept()}. */
    public int pollFd() {
        return client.pollFd();
    }

    /** @return the name listened on. */
    public ShmAddress address() {
        return address;
    }

    /** @return the server's id of this listener. */
    public long id() {
        return id;
    }

    /** @return connections queued here beyond which new ones are closed at once (refused). */
    public int backlog() {
        return backlog;
    }

    /** Stops listening: the name is released; queued connections not yet accepted are closed. Idempotent. */
    @Override
    public void close() {
        client.closeListener(this);
    }

    @Override
    public String toString() {
        return "ShmListener[" + address + ", id " + id + "]";
    }
}
