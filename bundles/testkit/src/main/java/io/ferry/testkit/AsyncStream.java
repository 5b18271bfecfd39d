package io.ferry.testkit;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives one {@link ConnectedSocket} the way an application on the API does: registered with its
 * worker's {@link EventCenter}, reading whenever it is readable, queueing output in a
 * {@link BufferList} and sending it with gathering sends, waiting for
 * {@link EventMask#WRITABLE} when the stack is full, finishing a non-blocking connect, and
 * reporting everything to a {@link Listener}. Statistics (bytes, short and refused sends, writable
 * resumptions) let tests check how the stack behaved.
 *
 * <p>It works with level- and edge-triggered drivers alike: it reads until {@code -EAGAIN} (or
 * requeues itself after a budget), and sends until the stack takes nothing.
 *
 * <p><b>Threading:</b> {@link #attach} and {@link #close()} and the statistics getters may be
 * called from any thread; every other method only on the socket's event loop (from a listener
 * callback, or a task given to {@link EventCenter#execute}). Listener methods run on that loop.
 *
 * <p><b>Errors:</b> a negative errno from the socket calls {@link Listener#onFailed} and closes the
 * stream. An exception thrown by a listener, or a stack breaking the {@code send} contract, is
 * kept as {@link #error()} and closes the stream; it is never thrown into the event loop.
 */
public final class AsyncStream {

    /** What a stream reports; every method runs on the socket's event loop and must not block. */
    public interface Listener {
        /** The connection is established (at once for accepted sockets). */
        default void onConnected(AsyncStream stream) {
        }

        /** Bytes arrived; {@code data} is valid only during the call and its position may be moved. */
        default void onData(AsyncStream stream, ByteBuffer data) {
        }

        /** The peer shut down its sending side (a read returned 0). */
        default void onEndOfStream(AsyncStream stream) {
        }

        /** Everything queued with {@link AsyncStream#send} was taken by the stack. */
        default void onOutputDrained(AsyncStream stream) {
        }

        /** A send was refused entirely (the stack is full); the stream now waits for WRITABLE. */
        default void onBackPressure(AsyncStream stream) {
        }

        /** A socket call returned a negative errno (connect refused, reset, shutdown); the stream closes next. */
        default void onFailed(AsyncStream stream, int errno) {
        }

        /** The stream and its socket are closed; called once. */
        default void onClosed(AsyncStream stream) {
        }
    }

    /** Read buffer size used by {@link #attach(ConnectedSocket, Listener)}. */
    public static final int DEFAULT_READ_BUFFER = 64 * 1024;
    private static final int READS_PER_EVENT = 64;

    private final ConnectedSocket socket;
    private final EventCenter center;
    private final Listener listener;
    private final ByteBuffer readBuffer;
    private final BufferList out = new BufferList();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<AsyncStream> whenClosed = new CompletableFuture<>();
    private FileEvent event;
    private boolean connected;
    private boolean reading = true;
    private boolean wantWritable;
    private boolean flushing;
    private boolean drainPending;
    private boolean shutdownRequested;
    private boolean readScheduled;
    private boolean autoClose = true;

    private volatile boolean endOfStream;
    private volatile boolean outputShut;
    private volatile int failure;
    private volatile Throwable error;
    private volatile long bytesRead;
    private volatile long bytesWritten;
    private volatile long sendCalls;
    private volatile long shortSends;
    private volatile long blockedSends;
    private volatile long writableResumes;
    private volatile int maxSegmentsOffered;

    private AsyncStream(ConnectedSocket socket, Listener listener, int readBufferSize) {
        this.socket = socket;
        this.center = socket.worker().center();
        this.listener = listener;
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
    }

    /** Attaches with a {@value #DEFAULT_READ_BUFFER}-byte read buffer; see {@link #attach(ConnectedSocket, int, Listener)}. */
    public static CompletableFuture<AsyncStream> attach(ConnectedSocket socket, Listener listener) {
        return attach(socket, DEFAULT_READ_BUFFER, listener);
    }

    /**
     * Registers {@code socket} (connected or connecting) with its worker's event center, on that
     * center's thread. Any thread.
     *
     * @return the stream once registered; completed exceptionally (and the socket closed) if the
     *     center refused the task or the registration
     */
    public static CompletableFuture<AsyncStream> attach(ConnectedSocket socket, int readBufferSize, Listener listener) {
        CompletableFuture<AsyncStream> result = new CompletableFuture<>();
        EventCenter center = socket.worker().center();
        boolean queued = center.execute(() -> {
            AsyncStream stream = new AsyncStream(socket, listener, readBufferSize);
            try {
                stream.register();
            } catch (Throwable t) {
                socket.close();
                result.completeExceptionally(t);
                return;
            }
            result.complete(stream);
        });
        if (!queued) {
            socket.close();
            result.completeExceptionally(new IllegalStateException(center.name() + " is shut down"));
        }
        return result;
    }

    private void register() throws Exception {
        int state = socket.isConnected();
        connected = state > 0;
        event = center.createFileEvent(socket, desiredMask(), this::onEvent);
        if (state < 0) {
            guarded(() -> fail(state));
        } else if (connected) {
            guarded(() -> listener.onConnected(this));
        }
    }

    // ---- loop-thread operations ----

    /**
     * Queues {@code data} (its segments move into the stream; it ends empty) and sends what the
     * stack takes now. Loop thread only.
     */
    public void send(BufferList data) {
        checkLoop();
        if (shutdownRequested) {
            throw new IllegalStateException("output already shut down");
        }
        if (closed.get() || data.isEmpty()) {
            data.clear();
            return;
        }
        out.append(data);
        drainPending = true;
        flush();
    }

    /** Queues {@code bytes} without copying (do not change them afterwards). Loop thread only. */
    public void send(byte[] bytes) {
        send(BufferList.wrap(bytes));
    }

    /** Half-closes once everything queued is sent. Loop thread only. */
    public void shutdownOutputWhenFlushed() {
        checkLoop();
        shutdownRequested = true;
        flush();
    }

    /** Stops reading; the stack's buffers fill and the peer is back-pressured. Loop thread only. */
    public void pauseReading() {
        checkLoop();
        reading = false;
        updateMask();
    }

    /** Reads again, at once if data is waiting. Loop thread only. */
    public void resumeReading() {
        checkLoop();
        reading = true;
        updateMask();
        scheduleRead();
    }

    /**
     * @param value true (the default) to close the stream by itself once the peer's end of stream
     *     was read and its own output was shut down and flushed. Loop thread only.
     */
    public void setAutoClose(boolean value) {
        checkLoop();
        autoClose = value;
        finishIfDone();
    }

    /** @return bytes queued and not yet taken by the stack. Loop thread only. */
    public long pendingOutput() {
        checkLoop();
        return out.length();
    }

    // ---- any thread ----

    /**
     * Closes the stream and its socket: at once on the loop thread, otherwise on the loop (or here
     * if the loop no longer runs). Idempotent; any thread.
     */
    public void close() {
        if (closed.get()) {
            return;
        }
        if (center.inEventLoop()) {
            guardedClose();
        } else if (!center.execute(this::guardedClose)) {
            if (closed.compareAndSet(false, true)) {
                // The loop no longer runs, so nothing else touches the queue: release it here.
                socket.close();
                out.clear();
                try {
                    listener.onClosed(this);
                } catch (Throwable t) {
                    recordError(t);
                }
                whenClosed.complete(this);
            }
        }
    }

    /** @return completed with this stream once it is closed. */
    public CompletableFuture<AsyncStream> whenClosed() {
        return whenClosed;
    }

    /** @return the socket. */
    public ConnectedSocket socket() {
        return socket;
    }

    /** @return the event center the stream runs on. */
    public EventCenter center() {
        return center;
    }

    /** @return true once closed. */
    public boolean isClosed() {
        return closed.get();
    }

    /** @return 0, or the negative errno that failed the stream. */
    public int failure() {
        return failure;
    }

    /** @return an exception a listener threw, or a stack contract violation; null if none. */
    public Throwable error() {
        return error;
    }

    /** @return true once a read returned end of stream. */
    public boolean endOfStream() {
        return endOfStream;
    }

    /** @return true once the output was shut down. */
    public boolean outputShut() {
        return outputShut;
    }

    /** @return bytes read so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** @return bytes the stack took so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** @return calls of {@link ConnectedSocket#send} so far. */
    public long sendCalls() {
        return sendCalls;
    }

    /** @return sends that took some but not all of what was offered. */
    public long shortSends() {
        return shortSends;
    }

    /** @return sends that took nothing (0 or {@code -EAGAIN}): the stack was full. */
    public long blockedSends() {
        return blockedSends;
    }

    /** @return WRITABLE events that arrived while the stream waited for room. */
    public long writableResumes() {
        return writableResumes;
    }

    /** @return the most segments offered to one send call. */
    public int maxSegmentsOffered() {
        return maxSegmentsOffered;
    }

    @Override
    public String toString() {
        return "AsyncStream[" + socket.localAddress() + " -> " + socket.remoteAddress() + ", read " + bytesRead
                + ", written " + bytesWritten + (failure != 0 ? ", failed " + Errno.name(failure) : "")
                + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- event handling ----

    private void onEvent(int ready) {
        guarded(() -> handle(ready));
    }

    private void handle(int ready) {
        if (closed.get()) {
            return;
        }
        boolean unrequested = (ready & ~event.mask()) != 0;
        if (!connected) {
            int state = socket.isConnected();
            if (state == 0) {
                return;
            }
            if (state < 0) {
                fail(state);
                return;
            }
            connected = true;
            updateMask();
            listener.onConnected(this);
            if (closed.get()) {
                return;
            }
            if (!out.isEmpty() || shutdownRequested) {
                flush();
            }
            if (reading) {
                scheduleRead(); // data may already wait; an edge-triggered driver would not say so again
            }
            return;
        }
        // Readiness nobody asked for is a hang-up, an error or the stack's shutdown notice: read to learn which.
        if ((ready & EventMask.READABLE) != 0 && (reading || unrequested)) {
            readAll();
            if (closed.get()) {
                return;
            }
        }
        if ((ready & EventMask.WRITABLE) != 0) {
            if (wantWritable) {
                writableResumes++;
            }
            if (!out.isEmpty() || (shutdownRequested && !outputShut)) {
                flush();
            }
        }
    }

    private void readAll() {
        if (endOfStream) {
            return;
        }
        for (int i = 0; i < READS_PER_EVENT; i++) {
            readBuffer.clear();
            int r = socket.read(readBuffer);
            if (r > 0) {
                bytesRead += r;
                readBuffer.flip();
                listener.onData(this, readBuffer);
                if (closed.get() || !reading) {
                    return;
                }
            } else if (r == 0) {
                endOfStream = true;
                updateMask();
                listener.onEndOfStream(this);
                finishIfDone();
                return;
            } else if (r == -Errno.EAGAIN) {
                return;
            } else {
                fail(r);
                return;
            }
        }
        scheduleRead();
    }

    private void scheduleRead() {
        if (!readScheduled && !closed.get()) {
            readScheduled = true;
            center.execute(() -> guarded(() -> {
                readScheduled = false;
                if (!closed.get() && connected && reading) {
                    readAll();
                }
            }));
        }
    }

    private void flush() {
        if (flushing || closed.get() || !connected) {
            return;
        }
        flushing = true;
        try {
            while (true) {
                while (!out.isEmpty()) {
                    long before = out.length();
                    int segments = out.segmentCount();
                    if (segments > maxSegmentsOffered) {
                        maxSegmentsOffered = segments;
                    }
                    sendCalls++;
                    long n = socket.send(out, false);
                    if (n == -Errno.EAGAIN) {
                        n = 0;
                    }
                    if (n < 0) {
                        fail((int) n);
                        return;
                    }
                    if (n > before || out.length() != before - n) {
                        throw new IllegalStateException("send broke its contract: returned " + n + " but the list went from "
                                + before + " to " + out.length() + " bytes");
                    }
                    bytesWritten += n;
                    if (n == 0) {
                        blockedSends++;
                        if (!wantWritable) {
                            wantWritable = true;
                            updateMask();
                        }
                        listener.onBackPressure(this);
                        return;
                    }
                    if (n < before) {
                        shortSends++;
                    }
                }
                if (wantWritable) {
                    wantWritable = false;
                    updateMask();
                }
                if (drainPending) {
                    drainPending = false;
                    listener.onOutputDrained(this);
                    if (closed.get()) {
                        return;
                    }
                    if (!out.isEmpty()) {
                        continue;
                    }
                }
                if (shutdownRequested && !outputShut) {
                    outputShut = true;
                    int r = socket.shutdownOutput();
                    if (r < 0) {
                        fail(r);
                        return;
                    }
                    finishIfDone();
                }
                return;
            }
        } finally {
            flushing = false;
        }
    }

    private int desiredMask() {
        if (!connected) {
            return EventMask.WRITABLE;
        }
        int mask = EventMask.NONE;
        if (reading && !endOfStream) {
            mask |= EventMask.READABLE;
        }
        if (wantWritable) {
            mask |= EventMask.WRITABLE;
        }
        return mask;
    }

    private void updateMask() {
        if (event == null || !event.isActive() || closed.get()) {
            return;
        }
        int mask = desiredMask();
        if (mask != event.mask()) {
            event.setMask(mask);
            if (!event.isActive()) {
                // The center cancels an event whose mask the driver refused: we would never hear again.
                fail(-Errno.EIO);
            }
        }
    }

    private void finishIfDone() {
        if (autoClose && endOfStream && outputShut && out.isEmpty() && !closed.get()) {
            closeNow();
        }
    }

    private void fail(int errno) {
        if (closed.get()) {
            return;
        }
        failure = errno;
        try {
            listener.onFailed(this, errno);
        } finally {
            closeNow();
        }
    }

    private void guardedClose() {
        guarded(this::closeNow);
    }

    private void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (event != null) {
                event.cancel();
            }
            socket.close();
            out.clear();
            listener.onClosed(this);
        } finally {
            whenClosed.complete(this);
        }
    }

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            recordError(t);
            try {
                closeNow();
            } catch (Throwable t2) {
                t.addSuppressed(t2);
            }
        }
    }

    private void recordError(Throwable t) {
        if (error == null) {
            error = t;
        }
    }

    private void checkLoop() {
        if (!center.inEventLoop()) {
            throw new IllegalStateException("only " + center.name() + "'s thread may call this, not "
                    + Thread.currentThread().getName());
        }
    }
}
