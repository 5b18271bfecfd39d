package io.ferry.pldm.dma;

import io.ferry.api.event.EventCenter;
import io.ferry.pldm.codec.CompletionCodes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifecycle both engines share: argument and thread checks, the length rule, the set of open
 * operations (counted for tests), refusals delivered asynchronously, and close failing what is
 * pending. Subclasses create operations and release their own resources.
 */
abstract class AbstractDmaEngine implements DmaEngine {
    private final String name;
    private final int maxTransferSize;
    private final Set<AbstractDmaOperation> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    AbstractDmaEngine(String name, int maxTransferSize) {
        if (!DmaPlan.isValidMaxTransferSize(maxTransferSize)) {
            throw new IllegalArgumentException("max transfer size " + maxTransferSize + " is not a positive multiple of 16");
        }
        this.name = name;
        this.maxTransferSize = maxTransferSize;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int maxTransferSize() {
        return maxTransferSize;
    }

    @Override
    public final int openOperations() {
        return open.size();
    }

    final boolean isClosed() {
        return closed;
    }

    @Override
    public final DmaOperation start(DmaRequest request, EventCenter center, DmaCompletion completion) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(center, "center");
        Objects.requireNonNull(completion, "completion");
        if (!center.inEventLoop()) {
            throw new IllegalStateException("DmaEngine.start must be called on " + center.name() + "'s thread");
        }
        int cc = DmaPlan.check(request.length());
        DmaPlan plan = cc == CompletionCodes.SUCCESS ? DmaPlan.of(request.length(), request.hostAddress(),
                maxTransferSize) : null;
        AbstractDmaOperation op = newOperation(request, plan, center, completion);
        // Added before the closed check: a concurrent close() either sees it or start sees closed.
        open.add(op);
        int status = cc != CompletionCodes.SUCCESS ? cc : closed ? DmaStatus.ESHUTDOWN : request.checkLocalRegion();
        if (status == DmaStatus.SUCCESS) {
            status = op.begin();
        }
        if (status != DmaStatus.SUCCESS) {
            int refusal = status;
            if (!center.execute(() -> op.complete(refusal))) {
                op.complete(refusal);
            }
        }
        return op;
    }

    /** Creates the engine's operation; {@code plan} is null when the length was refused. */
    abstract AbstractDmaOperation newOperation(DmaRequest request, DmaPlan plan, EventCenter center,
            DmaCompletion completion);

    /** Called by an operation once it released everything. */
    final void released(AbstractDmaOperation op) {
        open.remove(op);
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AbstractDmaOperation op : open) {
            if (!op.center().execute(() -> op.complete(DmaStatus.ESHUTDOWN))) {
                // The center is gone: nothing else can touch the operation any more.
                op.releaseAfterCenterShutdown();
            }
        }
        closeEngine();
    }

    /** Releases the engine's own resources (the shm window, the xdma releaser thread). */
    abstract void closeEngine();

    @Override
    public String toString() {
        return name + " DMA engine (" + open.size() + " open operations)";
    }
}
