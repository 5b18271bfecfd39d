package io.ferry.pldm.component;

import io.ferry.pldm.simulator.SimulatorBehaviour;
import java.io.IOException;

/**
 * Opens {@link LocalTerminal}s on the running transfer service. Registered by
 * {@link TransferServiceComponent} next to the {@link io.ferry.api.pldm.TransferService}; a
 * service private to this bundle (console commands, demo steps).
 *
 * <p><b>Threading:</b> any thread; nothing blocks.
 */
public interface LocalTerminals {
    /**
     * Opens a terminal.
     *
     * @param hostMemory bytes of host memory it needs (its largest DMA), rounded up to 4 KiB
     * @param behaviour how the simulator behaves
     * @param timeoutMillis 0 to talk to the node's transfer service; a positive value to talk to a
     *     private engine with this DMA timeout instead, on the same loop, handlers and DMA engine
     *     (the demo's stalled transfer must not wait the node's 20 s)
     * @throws IOException if the DMA engine is not {@code shm} (no window to share), the window has
     *     no free range of that size, or the service is stopping
     */
    LocalTerminal open(long hostMemory, SimulatorBehaviour behaviour, long timeoutMillis) throws IOException;

    /** @return one line: endpoint, DMA engine, window and terminals open. */
    String describe();
}
