package io.ferry.pldm.demo;

import io.ferry.api.demo.DemoStep;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.component.LocalTerminals;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code "pldm: dump offloaded and read back"}: the host announces a {@value #SIZE}-byte dump
 * (NewFileAvailable), streams it in {@value #PARTS} DMA writes in order, the node's dump handler
 * moves it to its store when complete, and the host reads the stored dump back by DMA and compares
 * every byte.
 *
 * <p><b>Threading:</b> {@link #run()} returns at once; the work runs on the transfer service's loop.
 */
@Component(service = DemoStep.class, property = DemoStep.ORDER_PROPERTY + ":Integer=" + DumpDemoStep.ORDER)
public final class DumpDemoStep implements DemoStep {
    static final int ORDER = 520;
    static final int SIZE = 4 * 1024 * 1024;
    static final int PARTS = 4;

    @Reference
    LocalTerminals terminals;

    @Override
    public String name() {
        return "pldm: dump offloaded and read back";
    }

    @Override
    public CompletionStage<String> run() {
        long handle = DemoSupport.freshHandle();
        byte[] dump = DemoSupport.pattern(SIZE, (int) handle + 1);
        int part = SIZE / PARTS;
        long start = System.nanoTime();
        try {
            return DemoSupport.with(terminals.open(SIZE, SimulatorBehaviour.NORMAL, 0), host -> {
                TerminusSimulator sim = host.simulator();
                CompletableFuture<Integer> announced = sim.newFileAvailable(IbmFileTypes.DUMP, handle, SIZE);
                CompletableFuture<?> chain = announced.thenApply(cc -> {
                    if (cc != 0) {
                        throw new IllegalStateException(String.format(Locale.ROOT, "NewFileAvailable answered 0x%02X", cc));
                    }
                    return cc;
                });
                for (int i = 0; i < PARTS; i++) {
                    int offset = i * part;
                    byte[] slice = Arrays.copyOfRange(dump, offset, offset + part);
                    chain = chain.thenCompose(x -> sim.writeFileByType(IbmFileTypes.DUMP, handle, offset, slice))
                            .thenApply(w -> DemoSupport.expectOk("WriteFileByTypeFromMemory at " + offset, w));
                }
                return chain.thenCompose(x -> sim.readFileByType(IbmFileTypes.DUMP, handle, 0, SIZE)).thenApply(r -> {
                    DemoSupport.expectOk("ReadFileByTypeIntoMemory", r);
                    DemoSupport.expectSame("dump " + handle, dump, r.data());
                    return "dump " + handle + " (" + SIZE / (1024 * 1024) + " MiB in " + PARTS
                            + " DMA writes) stored, read back and verified in " + DemoSupport.millis(start);
                });
            });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
