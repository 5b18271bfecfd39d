/**
 * The bundle's Declarative Services components and their metatype configuration: the file-type
 * handler services (PEL, LID, DUMP, certificates) on the {@link io.ferry.api.pldm.FileTypeHandler}
 * whiteboard, the DMA engines ({@code shm}, {@code xdma}), the MCTP endpoint settings and the
 * {@link io.ferry.api.pldm.TransferService} that wires them together. A bad configuration value is
 * refused with one log line naming it, and the component keeps what it was running.
 *
 * <p><b>Threading:</b> DS calls activate, modified, deactivate and the bind methods on any thread,
 * one at a time per component; the components here serialize them on themselves. Nothing in this
 * package is exported.
 */
package io.ferry.pldm.component;
