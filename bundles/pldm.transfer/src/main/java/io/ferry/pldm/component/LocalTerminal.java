package io.ferry.pldm.component;

import io.ferry.pldm.simulator.TerminusSimulator;

/**
 * A remote-terminus simulator joined to the node's transfer service inside the node (an in-JVM
 * MCTP pair), with its own range of the shm host-memory window: what {@code pldm:read},
 * {@code pldm:write}, the demo steps and the integration tests use as "the host".
 *
 * <p><b>Threading:</b> any thread; {@link #close()} is idempotent and never blocks. Closing releases
 * the simulator, both transport ends, the host-memory range, and a private short-timeout engine
 * when the terminal had one.
 */
public interface LocalTerminal extends AutoCloseable {
    /** @return the simulator: its operations return futures completed on the node's loop. */
    TerminusSimulator simulator();

    /** @return the terminal's MCTP endpoint id. */
    int eid();

    /** @return the DMA timeout of the engine this terminal talks to, in milliseconds. */
    long timeoutMillis();

    /** @return the counters of a private engine, or of the node's service when the terminal has none. */
    io.ferry.api.pldm.TransferCounters counters();

    @Override
    void close();
}
