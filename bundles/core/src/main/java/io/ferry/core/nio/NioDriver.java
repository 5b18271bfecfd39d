package io.ferry.core.nio;

import io.ferry.api.event.EventDriver;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.Pollable;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable {@link EventDriver}: one {@link Selector} waiting on JDK
 * {@link SelectableChannel}s (sockets, pipes, datagram channels). {@link EventMask#READABLE} maps to
 * whichever of {@code OP_READ} and {@code OP_ACCEPT} the channel supports,
 * {@link EventMask#WRITABLE} to whichever of {@code OP_WRITE} and {@code OP_CONNECT} it supports.
 * Readiness is level-triggered, as with epoll without {@code EPOLLET}; an error or hang-up is
 * reported as every event the pollable is registered for.
 *
 * <p><b>Threading:</b> every method but {@link #wakeup()} on the owning event-loop thread only,
 * including from a {@link ReadyHandler} while {@link #poll} runs. {@link #wakeup()} from any thread,
 * also after {@link #close()} (then a no-op). {@link #poll} allocates nothing.
 *
 * <p><b>Re-registration:</b> {@link #deregister} cancels the channel's key, and the JDK keeps a
 * cancelled key until the next selection; registering the channel again before that flushes the
 * cancelled keys with a non-blocking selection (and re-arms any wake-up that consumed). A
 * deregistration from a handler inside {@link #poll}, where no selection may start, only parks the
 * key (no interest, no attachment) so the handler can register the channel again at once; keys
 * still parked when the selection ends are cancelled.
 */
public final class NioDriver implements EventDriver {
    /** The driver's name, also its {@link io.ferry.api.event.EventDriverFactory#DRIVER_PROPERTY}. */
    public static final String NAME = "nio";

    private static final Logger LOG = LoggerFactory.getLogger(NioDriver.class);
    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
    private static final Consumer<SelectionKey> IGNORE = key -> {
    };

    private final Selector selector;
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    /** Keys deregistered during the current poll, cancelled when the selection ends. */
    private final List<SelectionKey> parked = new ArrayList<>();
    private volatile boolean closed;
    private ReadyHandler handler;
    private int dispatched;
    private boolean polling;

    /** @throws IOException if the operating system refuses a selector (out of descriptors) */
    public NioDriver() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return true for pollables backed by a JDK channel. */
    @Override
    public boolean accepts(Pollable pollable) {
        return pollable.channel() != null;
    }

    /**
     * @throws IOException if the pollable has no channel, is in blocking mode, is closed, or is
     *     already registered with this driver
     */
    @Override
    public void register(Pollable pollable, int mask, Object attachment) throws IOException {
        Objects.requireNonNull(attachment, "attachment");
        SelectableChannel channel = channelOf(pollable);
        checkOpen();
        if (!channel.isOpen()) {
            throw new IOException(pollable + " is closed");
        }
        SelectionKey key = channel.keyFor(selector);
        if (key != null && key.isValid()) {
            if (key.attachment() != null) {
                throw new IOException(pollable + " is already registered with the nio driver");
            }
            // Parked by a deregistration earlier in this poll: take it back.
            try {
                key.interestOps(toOps(channel, mask));
            } catch (CancelledKeyException e) {
                throw new IOException(pollable + " was closed", e);
            }
            key.attach(attachment);
            return;
        }
        if (key != null) {
            flushCancelledKeys();
        }
        try {
            channel.register(selector, toOps(channel, mask), attachment);
        } catch (IllegalBlockingModeException e) {
            throw new IOException(pollable + " is in blocking mode; the nio driver needs non-blocking channels", e);
        } catch (CancelledKeyException e) {
            throw new IOException(pollable + " still has a cancelled key on this selector", e);
        } catch (ClosedSelectorException e) {
            throw new IOException("the nio driver is closed", e);
        }
    }

    /** @throws IOException if the pollable is not registered (or its channel was closed) */
    @Override
    public void modify(Pollable pollable, int mask) throws IOException {
        SelectableChannel channel = channelOf(pollable);
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid() || key.attachment() == null) {
            throw new IOException(pollable + " is not registered with the nio driver"
                    + (channel.isOpen() ? "" : " (its channel is closed)"));
        }
        try {
            key.interestOps(toOps(channel, mask));
        } catch (CancelledKeyException e) {
            throw new IOException(pollable + " was deregistered", e);
        }
    }

    @Override
    public void deregister(Pollable pollable) {
        SelectableChannel channel = pollable.channel();
        if (channel == null) {
            return;
        }
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid()) {
            return;
        }
        if (polling) {
            try {
                key.interestOps(0);
                key.attach(null);
                parked.add(key);
            } catch (CancelledKeyException e) {
                // Its channel was closed meanwhile: the key is gone already.
            }
        } else {
            key.cancel();
        }
    }

    /**
     * Selects and hands each ready key's attachment to {@code readyHandler} with the ready
     * {@link EventMask} bits. Keys cancelled or deregistered earlier in the same selection are
     * skipped.
     *
     * @param timeoutNanos 0 polls without waiting, a negative value waits until an event or a
     *     {@link #wakeup()}, a positive one waits at most that long (rounded up to milliseconds)
     * @throws IOException if the selector failed or was closed
     */
    @Override
    public int poll(ReadyHandler readyHandler, long timeoutNanos) throws IOException {
        checkOpen();
        handler = readyHandler;
        dispatched = 0;
        polling = true;
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(dispatcher);
            } else if (timeoutNanos < 0) {
                selector.select(dispatcher);
            } else {
                selector.select(dispatcher, toMillis(timeoutNanos));
            }
        } catch (ClosedSelectorException e) {
            throw new IOException("the nio driver is closed", e);
        } finally {
            polling = false;
            handler = null;
            cancelParked();
        }
        return dispatched;
    }

    @Override
    public void wakeup() {
        if (!closed) {
            selector.wakeup();
        }
    }

    /** Closes the selector; the channels registered with it stay open. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parked.clear();
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("closing the nio selector failed: {}", e.getMessage());
        }
    }

    /** @return the number of channels registered (parked and cancelled keys included until flushed). */
    public int registeredCount() {
        return closed ? 0 : selector.keys().size();
    }

    @Override
    public String toString() {
        return "nio driver" + (closed ? " (closed)" : "");
    }

    private void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment == null || !key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        int mask = ((ready & READ_OPS) != 0 ? EventMask.READABLE : 0)
                | ((ready & WRITE_OPS) != 0 ? EventMask.WRITABLE : 0);
        if (mask != 0) {
            dispatched++;
            handler.ready(attachment, mask);
        }
    }

    /**
     * Removes cancelled keys from the selector so their channels can register again. The
     * selection also consumes a pending {@link #wakeup()}, which is therefore issued again.
     */
    private void flushCancelledKeys() throws IOException {
        if (polling) {
            throw new IOException("cannot flush cancelled keys while the nio selector selects");
        }
        try {
            selector.selectNow(IGNORE);
        } catch (ClosedSelectorException e) {
            throw new IOException("the nio driver is closed", e);
        }
        selector.wakeup();
    }

    private void cancelParked() {
        for (int i = 0, n = parked.size(); i < n; i++) {
            SelectionKey key = parked.get(i);
            if (key.attachment() == null) {
                key.cancel();
            }
        }
        parked.clear();
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the nio driver is closed");
        }
    }

    private static SelectableChannel channelOf(Pollable pollable) throws IOException {
        SelectableChannel channel = pollable.channel();
        if (channel == null) {
            throw new IOException("the nio driver waits on JDK channels only, not " + pollable);
        }
        return channel;
    }

    private static int toOps(SelectableChannel channel, int mask) {
        int valid = channel.validOps();
        int ops = 0;
        if ((mask & EventMask.READABLE) != 0) {
            ops |= valid & READ_OPS;
        }
        if ((mask & EventMask.WRITABLE) != 0) {
            ops |= valid & WRITE_OPS;
        }
        return ops;
    }

    private static long toMillis(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return nanos > TimeUnit.MILLISECONDS.toNanos(millis) ? millis + 1 : millis;
    }
}
