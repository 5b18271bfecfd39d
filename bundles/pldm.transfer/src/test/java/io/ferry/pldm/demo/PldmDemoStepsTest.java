package io.ferry.pldm.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.demo.DemoStep;
import io.ferry.pldm.component.ServiceFixture;
import io.ferry.pldm.handler.DumpHandler;
import io.ferry.pldm.handler.PelHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PLDM demo steps against a running transfer service, and what they do when handlers are missing. */
class PldmDemoStepsTest {
    @TempDir
    Path tmp;

    private ServiceFixture fixture;
    private PelHandler pel;
    private DumpHandler dump;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServiceFixture(tmp, 64L << 20, Map.of());
        pel = new PelHandler(tmp.resolve("pel"));
        dump = new DumpHandler(tmp.resolve("dump"));
        fixture.addHandler(pel);
        fixture.addHandler(dump);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String run(DemoStep step) throws Exception {
        return step.run().toCompletableFuture().get(step.timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theStepsPassInTheirOrderAndLeaveNothingBehind() throws Exception {
        PelDemoStep p = new PelDemoStep();
        p.terminals = fixture.terminals();
        DumpDemoStep d = new DumpDemoStep();
        d.terminals = fixture.terminals();
        StalledTransferDemoStep s = new StalledTransferDemoStep();
        s.terminals = fixture.terminals();
        assertTrue(PelDemoStep.ORDER < DumpDemoStep.ORDER && DumpDemoStep.ORDER < StalledTransferDemoStep.ORDER);

        String pelRow = run(p);
        assertTrue(pelRow.contains("read back and verified"), pelRow);
        assertEquals(1, pel.storedPels().size());
        String dumpRow = run(d);
        assertTrue(dumpRow.contains("4 MiB in 4 DMA writes"), dumpRow);
        assertEquals(1, dump.completedDumps().size());
        String stallRow = run(s);
        assertTrue(stallRow.contains("1 timed out, 0 in flight"), stallRow);
        assertEquals(1, pel.storedPels().size(), "the stalled PEL was not stored");

        assertEquals(0, fixture.service().counters().inFlight());
        assertEquals(0, fixture.dma().openOperations());
        assertTrue(fixture.terminals().describe().contains("0 local terminal(s)"), fixture.terminals().describe());
    }

    @Test
    void aMissingHandlerFailsTheStepWithTheCode() throws Exception {
        fixture.removeHandler(pel);
        PelDemoStep p = new PelDemoStep();
        p.terminals = fixture.terminals();
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(p));
        assertTrue(e.getCause().getMessage().contains("0x89"), e.getCause().getMessage());
    }
}
