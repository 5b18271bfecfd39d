package io.ferry.netstack.shm.stack;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.api.net.ConnectedSocket;
import io.ferry.api.net.Errno;
import io.ferry.api.event.Worker;
import io.ferry.netstack.shm.channel.StreamChannelEnd;
import io.ferry.unix.UnixException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream connection of the node-side {@code shm} stack: one end of a channel (to a client
 * process, or to another socket of this node), driven non-blocking on its worker's loop.
 *
 * <p>The user polls {@link #fd()}, a {@link Readiness} descriptor; the stack watches the end's two
 * eventfds with internal file events on the same loop and turns their edges into readiness: a
 * read that finds nothing clears "readable" and re-arms the data eventfd; a write that fills the
 * ring clears "writable" and arms the space eventfd. The doorbell rules of the ring (PROTOCOL.md 5)
 * are untouched: the end drains its eventfds itself on the next read or write.
 *
 * <p><b>Invariant.</b> The descriptor is dark ("not readable" / "not writable") only while the end
 * has announced that it waits and its doorbell event is armed, i.e. from a {@code -EAGAIN} until
 * the doorbell fires or the next call. A read or write made while the descriptor is dark (the
 * messenger flushes after every read) withdraws the announcement and drains the doorbell the peer
 * may just have rung; unless it ends in {@code -EAGAIN} again, it therefore lifts the block itself.
 * Without that, a write that succeeded there left the socket unwritable with no doorbell pending
 * and none to come (the messenger's stall; {@code ShmStackSwallowedDoorbellTest}).
 *
 * <p><b>Threading.</b> I/O on the owner worker's loop only; {@link #close()}, the getters and
 * {@link #isOpen()} from any thread. <b>Errors.</b> {@code -ESHUTDOWN} once the stack stopped,
 * {@code -EBADF} after close, {@code -ECONNREFUSED} (or another errno) after a failed connect,
 * {@code -EPIPE} writing to a closed peer, 0 reading past its end of stream, {@code -EPROTO} when
 * the peer corrupted the shared indexes (the channel is then closed, with a log line).
 */
final class ShmConnectedSocket extends ShmStackSocket implements ConnectedSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ShmConnectedSocket.class);
    private static final int CONNECTING = 0;
    private static final int CONNECTED = 1;

    private final Readiness readiness;
    private final SocketAddress remoteAddress;
    private volatile SocketAddress localAddress;
    private volatile int state;
    private StreamChannelEnd end;
    private FileEvent dataEvent;
    private FileEvent spaceEvent;
    private boolean eventsFailed;
    /**
     * Loop thread only. True while the readiness descriptor shows "not readable" because the last
     * read found the ring empty and the end announced it waits (its data doorbell armed). A new end
     * starts that way (announced idle, descriptor not readable, data event armed once watched).
     */
    private boolean readBlocked = true;
    /** Loop thread only. As {@link #readBlocked}, for "not writable" after a write found the ring full. */
    private boolean writeBlocked;

    private ShmConnectedSocket(Worker worker, Tracker tracker, StreamChannelEnd end, int state,
            SocketAddress local, SocketAddress remote) throws UnixException {
        super(worker, tracker);
        Readiness r;
        try {
            r = new Readiness();
        } catch (UnixException e) {
            worker.release();
            throw e;
        }
        this.readiness = r;
        this.end = end;
        this.state = state;
        this.localAddress = local;
        this.remoteAddress = remote;
        if (state == CONNECTING) {
            readiness.setWritable(false);
        } else if (state < 0) {
            readiness.setReadable(true);
        }
    }

    /** A connected socket over {@code end} (accepted, or connected in process). */
    static ShmConnectedSocket connected(Worker worker, Tracker tracker, StreamChannelEnd end, SocketAddress local,
            SocketAddress remote) throws UnixException {
        ShmConnectedSocket socket = tracker.track(new ShmConnectedSocket(worker, tracker, end, CONNECTED, local, remote));
        socket.watchDoorbells();
        return socket;
    }

    /** Starts watching the end's eventfds on the owner's loop (at once when called there). */
    private void watchDoorbells() {
        if (worker.center().inEventLoop()) {
            if (isOpen()) {
                ensureEvents();
            }
        } else {
            worker.center().execute(() -> {
                if (isOpen()) {
                    ensureEvents();
                }
            });
        }
    }

    /** A socket whose connect failed at once with {@code errno} (negative): reported through WRITABLE. */
    static ShmConnectedSocket failed(Worker worker, Tracker tracker, int errno, SocketAddress remote)
            throws UnixException {
        return tracker.track(new ShmConnectedSocket(worker, tracker, null, errno, null, remote));
    }

    /** A socket whose connect completes later through {@link #complete}. */
    static ShmConnectedSocket connecting(Worker worker, Tracker tracker, SocketAddress remote) throws UnixException {
        return tracker.track(new ShmConnectedSocket(worker, tracker, null, CONNECTING, null, remote));
    }

    /** Completes a pending connect; any thread (it moves to the owner's loop). */
    void complete(StreamChannelEnd newEnd, int errno, SocketAddress local) {
        Runnable task = () -> {
            if (!isOpen() || state != CONNECTING) {
                if (newEnd != null) {
                    newEnd.close();
                }
                return;
            }
            localAddress = local;
            if (newEnd != null) {
                end = newEnd;
                state = CONNECTED;
                ensureEvents();
            } else {
                state = errno;
                readiness.setReadable(true);
            }
            readiness.setWritable(true);
        };
        if (!worker.center().execute(task) && newEnd != null) {
            newEnd.close();
        }
    }

    @Override
    public int fd() {
        return readiness.pollable().fd();
    }

    @Override
    public int isConnected() {
        if (failedByStack()) {
            return -Errno.ESHUTDOWN;
        }
        if (!isOpen()) {
            return -Errno.EBADF;
        }
        return state;
    }

    private int refusal() {
        if (failedByStack()) {
            return -Errno.ESHUTDOWN;
        }
        if (!isOpen()) {
            return -Errno.EBADF;
        }
        if (state < 0) {
            return state;
        }
        return 0;
    }

    @Override
    public int read(ByteBuffer dst) {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        if (!dst.hasRemaining()) {
            return -Errno.EINVAL;
        }
        if (state == CONNECTING) {
            return -Errno.EAGAIN;
        }
        ensureEvents();
        int n = end.read(dst);
        if (n == -Errno.EAGAIN) {
            blockRead();
            return n;
        }
        if (n == -Errno.EPROTO) {
            return broken();
        }
        // Any other outcome withdrew the end's announcement and drained its data doorbell (a
        // caller may read while the descriptor shows "not readable"): the doorbell that would
        // have made it readable is gone, so it must be readable now, or it stays dark for good.
        unblockRead();
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        if (state == CONNECTING) {
            return 0;
        }
        ensureEvents();
        // Block (unwritable + watch the space doorbell) only after the end returned -EAGAIN: only
        // then has it announced "waiting for space", which is what makes the reader ring. A short
        // write is no proof: the reader may free space between the copy and the end's "ring
        // full?" check, the end then does not announce, nobody rings, and a socket blocked on a
        // short write stayed unwritable for good (the messenger's "no message within 30 s").
        int total = 0;
        while (true) {
            int n = end.write(src);
            if (n == -Errno.EAGAIN) {
                blockWrite();
                return total;
            }
            if (n == -Errno.EPROTO) {
                int b = broken();
                return total > 0 ? total : b;
            }
            if (n > 0) {
                total += n;
            }
            if (n <= 0 || !src.hasRemaining()) {
                // The end withdrew its "waiting for space" and drained its space doorbell: a
                // socket still shown unwritable (a caller writing while it was, e.g. an ack
                // flushed after a read) would never be rung again. Show it writable.
                unblockWrite();
                return total > 0 ? total : n;
            }
        }
    }

    @Override
    public long send(BufferList data, boolean more) {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        if (state == CONNECTING) {
            return 0;
        }
        long total = 0;
        while (!data.isEmpty()) {
            ByteBuffer segment = data.segment(0);
            int length = segment.remaining();
            int n = write(segment);
            if (n < 0) {
                return total > 0 ? total : n;
            }
            data.consume(n);
            total += n;
            if (n < length) {
                break;
            }
        }
        return total;
    }

    @Override
    public int shutdownOutput() {
        int refused = refusal();
        if (refused != 0) {
            return refused;
        }
        if (state == CONNECTING) {
            return -Errno.ENOTCONN;
        }
        int r = end.shutdownOutput();
        return r == -Errno.EPROTO ? broken() : r;
    }

    private void blockRead() {
        if (dataEvent == null || !dataEvent.isActive()) {
            return; // no doorbell event to lift the block (watching failed): never go dark for good
        }
        readBlocked = true;
        readiness.setReadable(false);
        arm(dataEvent);
    }

    private void unblockRead() {
        if (readBlocked) {
            readBlocked = false;
            disarm(dataEvent);
            readiness.setReadable(true);
        }
    }

    private void blockWrite() {
        if (spaceEvent == null || !spaceEvent.isActive()) {
            return; // as in blockRead
        }
        writeBlocked = true;
        readiness.setWritable(false);
        arm(spaceEvent);
    }

    private void unblockWrite() {
        if (writeBlocked) {
            writeBlocked = false;
            disarm(spaceEvent);
            readiness.setWritable(true);
        }
    }

    private int broken() {
        if (state != -Errno.EPROTO) {
            LOG.warn("shm connection {} -> {}: the peer wrote an invalid ring index into shared memory; closing the channel",
                    localAddress, remoteAddress);
            state = -Errno.EPROTO;
            readiness.setReadable(true);
            readiness.setWritable(true);
            cancelEvents();
            end.close();
        }
        return -Errno.EPROTO;
    }

    private void arm(FileEvent event) {
        if (event != null && event.isActive()) {
            event.setMask(EventMask.READABLE);
        }
    }

    private static void disarm(FileEvent event) {
        if (event != null && event.isActive()) {
            event.setMask(EventMask.NONE);
        }
    }

    /** Creates the internal doorbell events on first I/O (on the loop). */
    private void ensureEvents() {
        if (dataEvent != null || eventsFailed) {
            return;
        }
        try {
            dataEvent = worker.center().createFileEvent(io.ferry.api.event.Pollable.ofFd(end.readFd()), EventMask.READABLE,
                    mask -> {
                        readBlocked = false;
                        readiness.setReadable(true);
                        dataEvent.setMask(EventMask.NONE);
                    });
            spaceEvent = worker.center().createFileEvent(io.ferry.api.event.Pollable.ofFd(end.writeFd()), EventMask.NONE,
                    mask -> {
                        writeBlocked = false;
                        readiness.setWritable(true);
                        spaceEvent.setMask(EventMask.NONE);
                    });
        } catch (IOException e) {
            eventsFailed = true;
            LOG.warn("shm connection {}: cannot watch its eventfds: {}", localAddress, e.getMessage());
            readiness.setReadable(true);
        }
    }

    private void cancelEvents() {
        if (!worker.center().inEventLoop()) {
            return; // the center shut down and dropped them
        }
        if (dataEvent != null) {
            dataEvent.cancel();
        }
        if (spaceEvent != null) {
            spaceEvent.cancel();
        }
    }

    @Override
    protected void onFailedByStack() {
        readiness.setReadable(true);
        readiness.setWritable(true);
    }

    @Override
    protected void closeResource() {
        cancelEvents();
        if (end != null) {
            end.close();
        }
        readiness.close();
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Worker worker() {
        return worker;
    }

    @Override
    public String toString() {
        return "shm connection " + localAddress + " -> " + remoteAddress + " on " + worker;
    }

    /**
     * A one-line diagnosis: state, readiness, doorbell interests, pending eventfd counts and the
     * end's counters. Any thread; the values are read without synchronization, approximately current.
     */
    String describe() {
        StreamChannelEnd e = end;
        FileEvent d = dataEvent;
        FileEvent s = spaceEvent;
        StringBuilder b = new StringBuilder(toString()).append(": state ").append(state).append(isOpen() ? "" : " closed")
                .append(", readiness r=").append(readiness.isReadable()).append(" w=").append(readiness.isWritable())
                .append(", dataEvent ").append(d == null ? "-" : (d.isActive() ? "mask " + d.mask() : "cancelled"))
                .append(", spaceEvent ").append(s == null ? "-" : (s.isActive() ? "mask " + s.mask() : "cancelled"));
        if (e != null) {
            b.append(", ").append(e).append(", readable ").append(e.isClosed() ? -1 : e.readable())
                    .append(", dataIn count ").append(eventfdCount(e.readFd()))
                    .append(", spaceOut count ").append(eventfdCount(e.writeFd()))
                    .append(", data wakeups sent/skipped ").append(e.dataWakeupsSent()).append('/').append(e.dataWakeupsSkipped())
                    .append(", space wakeups sent/skipped ").append(e.spaceWakeupsSent()).append('/').append(e.spaceWakeupsSkipped());
            b.append(", ").append(e.describeDoorbells());
        }
        return b.toString();
    }

    private static String eventfdCount(int fd) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("eventfd-count:")) {
                    return line.substring("eventfd-count:".length()).trim();
                }
            }
            return "?";
        } catch (IOException | RuntimeException ex) {
            return "?";
        }
    }
}
