package io.ferry.pldm.demo;

import io.ferry.api.demo.DemoStep;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.component.LocalTerminals;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code "pldm: PEL written and read back"}: the host (an in-node simulator) writes a
 * {@value #SIZE}-byte PEL to a fresh handle by DMA (WriteFileByTypeFromMemory through the shm
 * window), the node stores it atomically, and the host reads it back (ReadFileByTypeIntoMemory)
 * and compares every byte.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once; the work runs on the transfer service's loop.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + PelDemoStep.ORDER)
public final class PelDemoStep implements DemoStep {
    static final int ORDER = 510;
    static final int SIZE = 16 * 1024;

    @Reference
    LocalTerminals terminals;

    @Override
    public String name() {
        return "pldm: PEL written and read back";
    }

    @Override
    public CompletionStage<String> run() {
        long handle = DemoSupport.freshHandle();
        byte[] pel = DemoSupport.pattern(SIZE, (int) handle);
        long start = System.nanoTime();
        try {
            return DemoSupport.with(terminals.open(SIZE, SimulatorBehaviour.NORMAL, 0), host -> {
                TerminusSimulator sim = host.simulator();
                return sim.writeFileByType(IbmFileTypes.PEL, handle, 0, pel)
                        .thenApply(w -> DemoSupport.expectOk("WriteFileByTypeFromMemory", w))
                        .thenCompose(w -> sim.readFileByType(IbmFileTypes.PEL, handle, 0, SIZE))
                        .thenApply(r -> {
                            DemoSupport.expectOk("ReadFileByTypeIntoMemory", r);
                            DemoSupport.expectSame("PEL " + handle, pel, r.data());
                            return "PEL " + handle + " (" + SIZE / 1024 + " KiB) written by DMA, stored, read back and verified in "
                                    + DemoSupport.millis(start);
                        });
            });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
