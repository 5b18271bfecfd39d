/**
 * The remote-terminus simulator (the host side of PLDM file transfer): a PLDM requester over any
 * {@link io.ferry.pldm.mctp.MctpTransport} that owns or attaches the shm host-memory window, with
 * selectable behaviours (normal, slow, stalling mid-DMA, dying mid-transfer, malformed input).
 * Used by the tests, the demo, the console commands and, through
 * {@link io.ferry.pldm.simulator.SimulatorMain}, as a separate process.
 *
 * <p><b>Threading:</b> a simulator runs on one event center; its public methods may be called from
 * any thread, never block, and return {@link java.util.concurrent.CompletableFuture}s completed on
 * that center's thread. Callers wait with a bound.
 */
package io.ferry.pldm.simulator;
