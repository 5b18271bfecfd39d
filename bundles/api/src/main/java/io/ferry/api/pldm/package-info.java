/**
 * PLDM file transfer (IBM OEM file I/O over MCTP, with DMA into host memory): the
 * {@link io.ferry.api.pldm.TransferService} a node provides, and the
 * {@link io.ferry.api.pldm.FileTypeHandler} whiteboard through which bundles add file types.
 *
 * <p><b>Threading model.</b> A transfer service runs every transfer on an event loop and never
 * blocks it. Its query methods ({@code transfers()}, {@code handlers()}, {@code counters()}) read
 * immutable snapshots and may be called from any thread. Handlers and listeners are called on the
 * service's event-loop thread and must not block.
 *
 * <p><b>Errors.</b> Host input never makes a handler throw: handlers return PLDM completion codes
 * ({@link io.ferry.api.pldm.PldmCompletionCodes}), which the service answers to the remote
 * terminus.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.ferry.api.pldm;
