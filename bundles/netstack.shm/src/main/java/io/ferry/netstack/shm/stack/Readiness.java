package io.ferry.netstack.shm.stack;

import io.ferry.api.net.Errno;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixException;
import io.ferry.unix.UnixSeqpacketSocket;
import java.nio.ByteBuffer;

/**
 * The one descriptor a node socket shows its event loop. A socket of the shm stack waits on two
 * eventfds (data in, space out), but {@link io.ferry.api.net.ConnectedSocket} is one
 * {@link io.ferry.api.event.Pollable} whose {@code EPOLLIN} must mean "readable" and
 * {@code EPOLLOUT} "writable", level-triggered. This is a {@code SOCK_SEQPACKET} socket pair whose
 * {@link #pollable() outer} end is that descriptor: one queued 1-byte message from the inner end
 * makes it readable; messages sent from it and left unread at the inner end fill its send buffer
 * so that it stops being writable. The stack toggles the two states only on edges (a read that
 * found nothing, a doorbell, a write that filled the ring), so the cost is a system call per
 * transition, none per byte.
 *
 * <p><b>Threading.</b> Synchronized: a listener is made readable from whichever thread connects.
 */
final class Readiness implements AutoCloseable {

    private static final int BLOCK_MESSAGE = 32 * 1024;
    private static final int MAX_BLOCK_MESSAGES = 64;
    private static final ByteBuffer BLOCK = ByteBuffer.allocateDirect(BLOCK_MESSAGE).asReadOnlyBuffer();

    private final UnixSeqpacketSocket outer;
    private final UnixSeqpacketSocket inner;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);
    private boolean readable;
    private boolean blocked;

    Readiness() throws UnixException {
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        this.outer = pair[0];
        this.inner = pair[1];
    }

    /** @return the descriptor users register. */
    UnixSeqpacketSocket pollable() {
        return outer;
    }

    synchronized void setReadable(boolean value) {
        if (value == readable || !outer.isOpen()) {
            return;
        }
        readable = value;
        if (value) {
            one.clear();
            inner.send(one);
        } else {
            drain(outer);
        }
    }

    synchronized void setWritable(boolean value) {
        if (value != blocked || !outer.isOpen()) {
            return;
        }
        blocked = !value;
        if (value) {
            drain(inner);
            return;
        }
        for (int i = 0; i < MAX_BLOCK_MESSAGES && Unix.poll(outer.fd(), Unix.POLLOUT, 0) > 0; i++) {
            if (outer.send(BLOCK.duplicate()) < 0) {
                break; // the send buffer is full: certainly not writable
            }
        }
    }

    synchronized boolean isReadable() {
        return readable;
    }

    synchronized boolean isWritable() {
        return !blocked;
    }

    private void drain(UnixSeqpacketSocket socket) {
        for (int i = 0; i < 4 * MAX_BLOCK_MESSAGES; i++) {
            one.clear();
            int n = socket.receive(one);
            if (n == -Errno.EAGAIN || (n < 0 && n != UnixSeqpacketSocket.TRUNCATED) || n == 0) {
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        outer.close();
        inner.close();
    }
}
