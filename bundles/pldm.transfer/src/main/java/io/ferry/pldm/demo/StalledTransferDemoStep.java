package io.ferry.pldm.demo;

import io.ferry.api.demo.DemoStep;
import io.ferry.api.pldm.PldmCompletionCodes;
import io.ferry.api.pldm.TransferCounters;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.component.LocalTerminals;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code "pldm: stalled transfer times out cleanly"}: a host that stops serving its memory halfway
 * through a DMA write (simulator behaviour {@code STALL}) against an engine with a
 * {@value #TIMEOUT_MILLIS} ms timeout (a private engine on the node's loop, handlers and DMA engine,
 * so the tour does not wait the node's 20 s). The transfer must be answered {@code ERROR} after the
 * timeout, counted as timed out, and nothing may stay in flight.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once; the work runs on the transfer service's loop.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + StalledTransferDemoStep.ORDER)
public final class StalledTransferDemoStep implements DemoStep {
    static final int ORDER = 530;
    static final long TIMEOUT_MILLIS = 500;
    /** Within the PEL handler's default largest file (64 KiB). */
    static final int SIZE = 48 * 1024;

    @Reference
    LocalTerminals terminals;

    @Override
    public String name() {
        return "pldm: stalled transfer times out cleanly";
    }

    @Override
    public CompletionStage<String> run() {
        long handle = DemoSupport.freshHandle();
        long start = System.nanoTime();
        try {
            return DemoSupport.with(terminals.open(SIZE, SimulatorBehaviour.STALL, TIMEOUT_MILLIS), host ->
                    host.simulator().writeFileByType(IbmFileTypes.PEL, handle, 0, DemoSupport.pattern(SIZE, 7)).thenApply(r -> {
                        long ms = (System.nanoTime() - start) / 1_000_000;
                        TransferCounters c = host.counters();
                        if (r.completionCode() != PldmCompletionCodes.ERROR) {
                            throw new IllegalStateException(String.format(Locale.ROOT,
                                    "the stalled write was answered 0x%02X, not ERROR", r.completionCode()));
                        }
                        if (c.timedOut() != 1 || c.inFlight() != 0) {
                            throw new IllegalStateException("expected 1 timed out and 0 in flight, got " + c);
                        }
                        if (ms < TIMEOUT_MILLIS) {
                            throw new IllegalStateException("answered after " + ms + " ms, before the timeout");
                        }
                        return "host stalled mid-DMA; answered ERROR after " + ms + " ms (timeout " + TIMEOUT_MILLIS
                                + " ms); 1 timed out, 0 in flight, partial PEL discarded";
                    }));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
