/**
 * The PLDM responder and its asynchronous transfer engine: {@link io.ferry.pldm.engine.TransferEngine}
 * receives requests from MCTP transports, answers the base commands and the IBM OEM file I/O
 * commands, and runs each DMA transfer as a {@link io.ferry.pldm.engine.DmaTransfer} context (file
 * channel, DMA operation, timer, requester link and instance id) owned by one event loop.
 *
 * <p><b>Threading:</b> one {@link io.ferry.api.event.EventCenter} owns an engine, its transports
 * and its transfers; nothing here blocks it. The {@link io.ferry.api.pldm.TransferService}
 * queries read immutable snapshots and may be called from any thread; {@code close()} too.
 * No OSGi here: plain constructors and the {@link io.ferry.pldm.engine.TransferEngineConfig} record,
 * so a DS component or a test builds an engine the same way.
 */
package io.ferry.pldm.engine;
