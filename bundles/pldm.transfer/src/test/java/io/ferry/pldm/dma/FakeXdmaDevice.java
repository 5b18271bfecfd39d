package io.ferry.pldm.dma;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.ferry.api.event.Pollable;
import io.ferry.core.jna.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake /dev/aspeed-xdma client: records every op byte for byte, and "completes" a DMA by copying
 * between its mapping and a simulated host memory and signalling an eventfd the engine polls.
 * Behaviour per factory: complete automatically, never complete, fail op N, refuse once with EBUSY.
 */
final class FakeXdmaDevice implements XdmaDevice {
    static final class Factory implements XdmaDevice.Factory {
        final ByteBuffer host;
        final long hostBase;
        volatile boolean autoComplete = true;
        volatile int failOp = -1;
        volatile int busyOnce;
        final List<byte[]> ops = new CopyOnWriteArrayList<>();
        final List<FakeXdmaDevice> opened = new CopyOnWriteArrayList<>();
        final AtomicInteger open = new AtomicInteger();

        Factory(long hostBase, int hostSize) {
            this.hostBase = hostBase;
            this.host = ByteBuffer.allocateDirect(hostSize);
        }

        @Override
        public String unavailableReason() {
            return LibC.isAvailable() ? null : LibC.unavailableReason();
        }

        @Override
        public XdmaDevice open(int mapSize) throws IOException {
            FakeXdmaDevice d = new FakeXdmaDevice(this, mapSize);
            opened.add(d);
            open.incrementAndGet();
            return d;
        }
    }

    private final Factory factory;
    private final int fd;
    private final ByteBuffer buffer;
    private final ByteBuffer op = ByteBuffer.allocateDirect(XdmaOpDescriptor.SIZE);
    private final Memory scratch = new Memory(8);
    final int mapSize;
    private volatile int pendingStatus = DmaStatus.EINPROGRESS;
    private volatile boolean closed;
    volatile int strayIgnored;

    private FakeXdmaDevice(Factory factory, int mapSize) throws IOException {
        this.factory = factory;
        this.mapSize = mapSize;
        this.fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IOException("eventfd failed");
        }
        this.buffer = ByteBuffer.allocateDirect(mapSize);
    }

    @Override
    public Pollable pollable() {
        return Pollable.ofFd(fd);
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public ByteBuffer op() {
        return op;
    }

    @Override
    public int submit() {
        if (factory.busyOnce > 0) {
            factory.busyOnce--;
            return DmaStatus.EBUSY;
        }
        byte[] bytes = new byte[XdmaOpDescriptor.SIZE];
        op.get(0, bytes);
        int index = factory.ops.size();
        factory.ops.add(bytes);
        pendingStatus = DmaStatus.EINPROGRESS;
        if (factory.autoComplete) {
            finish(index == factory.failOp ? DmaStatus.EIO : 0);
        }
        return 0;
    }

    /** Carries out the recorded op (unless failing) and signals completion; any thread. */
    synchronized boolean finish(int status) {
        if (closed) {
            strayIgnored++;
            return false;
        }
        if (status == 0) {
            long addr = XdmaOpDescriptor.hostAddress(op, 0) - factory.hostBase;
            int len = (int) XdmaOpDescriptor.length(op, 0);
            if (XdmaOpDescriptor.upstream(op, 0) == 1) {
                factory.host.put((int) addr, buffer, 0, len);
            } else {
                buffer.put(0, factory.host, (int) addr, len);
            }
        }
        pendingStatus = status;
        signal();
        return true;
    }

    /** A readiness with no completion behind it (a stray response after a host reset). */
    synchronized void signal() {
        if (closed) {
            strayIgnored++;
            return;
        }
        scratch.setLong(0, 1);
        LibC.write(fd, Pointer.nativeValue(scratch), 8);
    }

    @Override
    public synchronized int completion() {
        LibC.read(fd, Pointer.nativeValue(scratch), 8); // drain (non-blocking)
        return pendingStatus;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LibC.close(fd);
        factory.open.decrementAndGet();
    }

    static List<String> hex(List<byte[]> ops) {
        List<String> out = new ArrayList<>();
        for (byte[] b : ops) {
            StringBuilder sb = new StringBuilder();
            for (byte x : b) {
                sb.append(String.format("%02x", x));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
