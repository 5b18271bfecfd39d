package io.ferry.pldm.dma;

import io.ferry.api.event.EventCenter;
import io.ferry.pldm.codec.FileIoChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The {@code shm} DMA engine: host memory is a {@link ShmWindow} and a host address is an offset
 * into it. An address range outside the window is refused with {@link DmaStatus#EFAULT} before
 * anything is touched. Bytes move in slices of at most {@link #sliceSize()} bytes, one slice per
 * event-loop turn (the next slice is a zero-delay time event, which runs after the loop polled its
 * descriptors again), so a 256 MiB transfer shares its loop with everything else. If the center
 * shuts down between slices the operation fails with {@link DmaStatus#ESHUTDOWN} when its queued
 * step still runs; a step the shutdown dropped leaves the operation to {@link #close()}, which
 * releases it without a completion (its owner died with the center). Chunk boundaries follow {@link DmaPlan}: a slice
 * never crosses one, and {@link DmaOperation#chunkIndex()} reports progress as xdma would.
 *
 * <p>Holds no descriptor per operation: files are read and written positionally through the
 * request's channel, and the window's mapping is shared. Closing the engine fails pending operations
 * and closes (deletes) the window if the engine owns it.
 *
 * <p>Threading as in {@link DmaEngine}.
 */
public final class ShmDmaEngine extends AbstractDmaEngine {
    /** Default bytes copied per event-loop turn. */
    public static final int SLICE_SIZE_DEFAULT = 1024 * 1024;
    /** How long a slice whose host range is stalled ({@link ShmWindow#isStalled}) waits before it checks again. */
    public static final long STALL_RECHECK_NANOS = 10_000_000L;

    private final ShmWindow window;
    private final boolean ownsWindow;
    private final int sliceSize;

    /**
     * @param window the host memory window
     * @param ownsWindow true to close (delete) the window when the engine closes
     * @param maxTransferSize chunk size, normally {@link FileIoChecks#DMA_MAX_SIZE}
     * @param sliceSize bytes copied per event-loop turn, positive
     */
    public ShmDmaEngine(ShmWindow window, boolean ownsWindow, int maxTransferSize, int sliceSize) {
        super("shm", maxTransferSize);
        this.window = Objects.requireNonNull(window, "window");
        this.ownsWindow = ownsWindow;
        if (sliceSize <= 0) {
            throw new IllegalArgumentException("slice size " + sliceSize);
        }
        this.sliceSize = sliceSize;
    }

    /** An engine that owns {@code window}, with the anchor's chunk size and the default slice. */
    public ShmDmaEngine(ShmWindow window) {
        this(window, true, FileIoChecks.DMA_MAX_SIZE, SLICE_SIZE_DEFAULT);
    }

    public ShmWindow window() {
        return window;
    }

    public int sliceSize() {
        return sliceSize;
    }

    @Override
    public boolean isAvailable() {
        return !window.isClosed() && !isClosed();
    }

    @Override
    public String unavailableReason() {
        return isAvailable() ? null : "closed";
    }

    @Override
    AbstractDmaOperation newOperation(DmaRequest request, DmaPlan plan, EventCenter center, DmaCompletion completion) {
        return new ShmOperation(request, plan, center, completion);
    }

    @Override
    void closeEngine() {
        if (ownsWindow) {
            window.close();
        }
    }

    private final class ShmOperation extends AbstractDmaOperation {
        private ByteBuffer view;
        /** The timer of a slice waiting for a stalled range; cancelled on release. */
        private io.ferry.api.event.TimeEvent stallWait;
        /** Bytes of the current chunk already moved. */
        private int inChunk;
        private final Runnable step = this::step;

        ShmOperation(DmaRequest request, DmaPlan plan, EventCenter center, DmaCompletion completion) {
            super(ShmDmaEngine.this, request, plan, center, completion);
        }

        @Override
        int begin() {
            if (window.isClosed()) {
                return DmaStatus.ESHUTDOWN;
            }
            if (!window.contains(request().hostAddress(), request().length())) {
                return DmaStatus.EFAULT;
            }
            view = window.buffer();
            schedule(step);
            return DmaStatus.SUCCESS;
        }

        private void step() {
            if (isDone()) {
                return; // cancelled or failed while this step was queued
            }
            if (center().isShutdown()) {
                complete(DmaStatus.ESHUTDOWN);
                return;
            }
            DmaPlan plan = plan();
            int chunkLength = plan.chunkLength(chunk);
            int n = Math.min(sliceSize, chunkLength - inChunk);
            long rel = plan.chunkOffset(chunk) + inChunk;
            if (window.isStalled(request().hostAddress() + rel, n)) {
                // The host stopped serving this range: check again later, never spin.
                stallWait = center().createTimeEvent(STALL_RECHECK_NANOS, step);
                return;
            }
            stallWait = null;
            int status = copy((int) (request().hostAddress() + rel), request().localOffset() + rel, n);
            if (status != DmaStatus.SUCCESS) {
                complete(status);
                return;
            }
            transferred += n;
            inChunk += n;
            if (inChunk == chunkLength) {
                inChunk = 0;
                chunk++;
                if (chunk == plan.chunkCount()) {
                    complete(DmaStatus.SUCCESS);
                    return;
                }
            }
            yieldThen(step);
        }

        private int copy(int windowIndex, long local, int n) {
            DmaRequest r = request();
            view.limit(windowIndex + n).position(windowIndex);
            boolean toHost = r.direction() == DmaRequest.Direction.TO_HOST;
            if (r.buffer() != null) {
                ByteBuffer b = r.buffer();
                if (toHost) {
                    view.put(view.position(), b, (int) local, n);
                } else {
                    b.put((int) local, view, windowIndex, n);
                }
                return DmaStatus.SUCCESS;
            }
            FileChannel f = r.file();
            try {
                long pos = local;
                while (view.hasRemaining()) {
                    int k = toHost ? f.read(view, pos) : f.write(view, pos);
                    if (k < 0) {
                        return DmaStatus.EIO; // the file ended before the request did
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
            view = null;
            if (stallWait != null) {
                if (center().inEventLoop()) {
                    stallWait.cancel();
                } // else: released after the center shut down, which dropped its timers anyway
                stallWait = null;
            }
        }
    }
}
