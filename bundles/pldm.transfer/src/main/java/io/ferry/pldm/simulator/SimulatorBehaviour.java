package io.ferry.pldm.simulator;

/** How a {@link TerminusSimulator} treats its own requests. */
public enum SimulatorBehaviour {
    /** Requests go out at once, host memory is always served. */
    NORMAL,
    /** Each request waits {@link SimulatorConfig#slowDelayMillis()} before it is sent. */
    SLOW,
    /**
     * DMA requests: the host stops serving the second half of the transfer's host memory
     * ({@link io.ferry.pldm.dma.ShmWindow#stall}), so the BMC moves the first half and then waits
     * until its timeout; the stall is lifted when the operation ends.
     */
    STALL,
    /**
     * DMA requests stall as with {@link #STALL}, then the simulator closes its transport abruptly
     * {@link SimulatorConfig#dieDelayMillis()} after sending: the terminus died mid-transfer.
     */
    DIE,
    /**
     * Requests are corrupted before sending, alternately one byte short and one byte long (the BMC
     * answers {@code ERROR_INVALID_LENGTH}); see also {@link TerminusSimulator#sendRaw} for garbage.
     */
    MALFORMED
}
