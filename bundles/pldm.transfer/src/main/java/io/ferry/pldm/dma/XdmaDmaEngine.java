package io.ferry.pldm.dma;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.EventMask;
import io.ferry.api.event.FileEvent;
import io.ferry.pldm.codec.FileIoChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code xdma} DMA engine: the anchor's asynchronous design on the Aspeed XDMA driver. Per
 * operation it opens one {@link XdmaDevice} (non-blocking descriptor, mapping of
 * {@code min(length, maxTransferSize)} rounded up to a page), registers the descriptor with the
 * operation's {@link EventCenter}, and for each {@link DmaPlan} chunk: copies file to mapping (to
 * host), writes the 16-byte {@link XdmaOpDescriptor op}, waits for the descriptor to become
 * readable, asks the device how the op ended, copies mapping to file (from host), and goes on.
 *
 * <p><b>Busy engine:</b> a write refused with {@code EBUSY} (another client's DMA runs) or
 * {@code EAGAIN} waits for the descriptor to become writable (the driver's "engine free") and writes
 * again; {@link #busyRetries()} counts it. <b>Stray readiness</b> (a completion arriving with no op
 * in flight, or the device saying the op still runs) is ignored. <b>Cancel and close</b> cancel the
 * file event first, then close the device; when a DMA is still in flight (host crashed or reset
 * mid-DMA) the close — whose munmap the kernel may hold until the engine resets — runs on a
 * releaser thread, so no event loop ever waits for it. {@link #openDevices()} counts devices not yet
 * closed.
 *
 * <p>Available only where {@code /dev/aspeed-xdma} exists and JNA binds libc
 * ({@link #unavailableReason()}). Threading as in {@link DmaEngine}.
 */
public final class XdmaDmaEngine extends AbstractDmaEngine {
    /** The mapping granule (the AST2500/2600 run 4 KiB pages, as the anchor's getpagesize()). */
    public static final int PAGE_SIZE = 4096;

    private final XdmaDevice.Factory devices;
    private final ExecutorService releaser;
    private final AtomicInteger openDevices = new AtomicInteger();
    private final AtomicLong busyRetries = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();

    /** The real device with the anchor's chunk size (8 MiB - 4 KiB). */
    public XdmaDmaEngine() {
        this(new JnaXdmaDevice.Factory(), FileIoChecks.DMA_MAX_SIZE);
    }

    /**
     * @param devices opens the device (the real one, or a fake in tests)
     * @param maxTransferSize chunk size, a positive multiple of 16
     */
    public XdmaDmaEngine(XdmaDevice.Factory devices, int maxTransferSize) {
        super("xdma", maxTransferSize);
        this.devices = Objects.requireNonNull(devices, "devices");
        this.releaser = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "xdma-releaser");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason() == null;
    }

    @Override
    public String unavailableReason() {
        return isClosed() ? "closed" : devices.unavailableReason();
    }

    /** @return devices opened and not yet closed (0 when nothing is in flight or quarantined). */
    public int openDevices() {
        return openDevices.get();
    }

    /** @return writes retried after EBUSY/EAGAIN. */
    public long busyRetries() {
        return busyRetries.get();
    }

    /** @return devices closed on the releaser thread because their DMA was still in flight. */
    public long quarantinedDevices() {
        return quarantined.get();
    }

    @Override
    AbstractDmaOperation newOperation(DmaRequest request, DmaPlan plan, EventCenter center, DmaCompletion completion) {
        return new XdmaOperation(request, plan, center, completion);
    }

    @Override
    void closeEngine() {
        releaser.shutdown(); // queued device closes still run
    }

    static int pageAligned(long length) {
        return (int) ((length + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE);
    }

    private final class XdmaOperation extends AbstractDmaOperation {
        private XdmaDevice device;
        private ByteBuffer mapping;
        private FileEvent event;
        private boolean inFlight;
        private boolean awaitingEngine;
        private final Runnable startChunk = this::startChunk;

        XdmaOperation(DmaRequest request, DmaPlan plan, EventCenter center, DmaCompletion completion) {
            super(XdmaDmaEngine.this, request, plan, center, completion);
        }

        @Override
        int begin() {
            if (devices.unavailableReason() != null) {
                return DmaStatus.ENODEV;
            }
            int mapSize = pageAligned(Math.min(plan().length(), maxTransferSize()));
            try {
                device = devices.open(mapSize);
            } catch (IOException | RuntimeException e) {
                return DmaStatus.ENODEV;
            }
            openDevices.incrementAndGet();
            mapping = device.buffer().duplicate();
            try {
                event = center().createFileEvent(device.pollable(), EventMask.NONE, this::onFileEvent);
            } catch (IOException | RuntimeException e) {
                return DmaStatus.EIO;
            }
            schedule(startChunk);
            return DmaStatus.SUCCESS;
        }

        private void startChunk() {
            if (isDone()) {
                return;
            }
            int len = plan().chunkLength(chunk);
            if (request().direction() == DmaRequest.Direction.TO_HOST) {
                int status = copyLocal(len, true);
                if (status != DmaStatus.SUCCESS) {
                    complete(status);
                    return;
                }
            }
            XdmaOpDescriptor.encode(device.op(), 0, plan().chunkAddress(chunk), len, request().direction().upstream());
            submit();
        }

        private void submit() {
            int rc = device.submit();
            if (rc == 0) {
                inFlight = true;
                event.setMask(EventMask.READABLE);
            } else if (rc == DmaStatus.EBUSY || rc == DmaStatus.EAGAIN) {
                busyRetries.incrementAndGet();
                awaitingEngine = true;
                event.setMask(EventMask.WRITABLE);
            } else {
                complete(rc);
            }
        }

        private void onFileEvent(int ready) {
            if (isDone()) {
                return;
            }
            if (awaitingEngine) {
                if ((ready & EventMask.WRITABLE) != 0) {
                    awaitingEngine = false;
                    event.setMask(EventMask.NONE);
                    submit();
                }
                return;
            }
            if (!inFlight) {
                return; // stray readiness: no op of ours is running
            }
            int st = device.completion();
            if (st == DmaStatus.EINPROGRESS) {
                return; // spurious or stray: our op still runs
            }
            inFlight = false;
            event.setMask(EventMask.NONE);
            if (st < 0) {
                complete(st);
                return;
            }
            int len = plan().chunkLength(chunk);
            if (request().direction() == DmaRequest.Direction.FROM_HOST) {
                int status = copyLocal(len, false);
                if (status != DmaStatus.SUCCESS) {
                    complete(status);
                    return;
                }
            }
            transferred += len;
            chunk++;
            if (chunk == plan().chunkCount()) {
                complete(DmaStatus.SUCCESS);
            } else {
                startChunk();
            }
        }

        /** Local region of the current chunk to ({@code toMapping}) or from the device mapping. */
        private int copyLocal(int len, boolean toMapping) {
            DmaRequest r = request();
            long local = r.localOffset() + plan().chunkOffset(chunk);
            mapping.limit(len).position(0);
            if (r.buffer() != null) {
                if (toMapping) {
                    mapping.put(0, r.buffer(), (int) local, len);
                } else {
                    r.buffer().put((int) local, mapping, 0, len);
                }
                return DmaStatus.SUCCESS;
            }
            FileChannel f = r.file();
            try {
                long pos = local;
                while (mapping.hasRemaining()) {
                    int k = toMapping ? f.read(mapping, pos) : f.write(mapping, pos);
                    if (k < 0) {
                        return DmaStatus.EIO;
                    }
                    pos += k;
                }
                return DmaStatus.SUCCESS;
            } catch (IOException | RuntimeException e) {
                return DmaStatus.EIO;
            }
        }

        @Override
        void release() {
            if (event != null) {
                event.cancel(); // before the descriptor closes: its number may be reused
                event = null;
            }
            XdmaDevice d = device;
            device = null;
            mapping = null;
            if (d == null) {
                return;
            }
            if (inFlight) {
                inFlight = false;
                quarantined.incrementAndGet();
                try {
                    releaser.execute(() -> closeDevice(d));
                    return;
                } catch (RuntimeException rejected) {
                    // releaser already shut down: close here rather than leak
                }
            }
            closeDevice(d);
        }

        private void closeDevice(XdmaDevice d) {
            try {
                d.close();
            } finally {
                openDevices.decrementAndGet();
            }
        }
    }
}
