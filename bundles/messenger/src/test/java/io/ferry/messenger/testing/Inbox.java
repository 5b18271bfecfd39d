package io.ferry.messenger.testing;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.ConnectionListener;
import io.ferry.api.msgr.Dispatcher;
import io.ferry.api.msgr.Message;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A dispatcher that copies each message it takes into a {@link Received} record, releases it, and
 * queues the record; also records connection events. Any thread may poll.
 */
public final class Inbox implements Dispatcher, ConnectionListener {

    /** What arrived. */
    public record Received(Connection connection, int type, int priority, long seq, long tid, byte[] front, byte[] middle,
            byte[] data) {
    }

    private final int wantedType;
    private final boolean holdMessages;
    public final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    public final BlockingQueue<Message> held = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    /** @param wantedType the message type to take, or -1 for all */
    public Inbox(int wantedType) {
        this(wantedType, false);
    }

    /** @param holdMessages keep the messages unreleased in {@link #held} (a slow consumer) */
    public Inbox(int wantedType, boolean holdMessages) {
        this.wantedType = wantedType;
        this.holdMessages = holdMessages;
    }

    @Override
    public boolean wants(int type) {
        return wantedType < 0 || type == wantedType;
    }

    @Override
    public boolean dispatch(Connection connection, Message m) {
        messages.add(new Received(connection, m.type(), m.priority(), m.seq(), m.tid(), m.front().toByteArray(),
                m.middle().toByteArray(), m.data().toByteArray()));
        if (holdMessages) {
            held.add(m);
        } else {
            m.release();
        }
        return true;
    }

    public Received next(Duration timeout) throws InterruptedException {
        Received r = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + timeout.toMillis() + " ms");
        }
        return r;
    }

    /** @return the next event starting with {@code prefix}, skipping others; fails after the timeout. */
    public String awaitEvent(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("no event '" + prefix + "' within " + timeout.toMillis() + " ms");
            }
            if (e.startsWith(prefix)) {
                return e;
            }
        }
    }

    @Override
    public void onConnect(Connection c) {
        events.add("connect");
    }

    @Override
    public void onAccept(Connection c) {
        events.add("accept");
    }

    @Override
    public void onFault(Connection c, String reason) {
        events.add("fault " + reason);
    }

    @Override
    public void onReset(Connection c, String reason) {
        events.add("reset " + reason);
    }

    @Override
    public void onRemoteReset(Connection c) {
        events.add("remote-reset");
    }
}
