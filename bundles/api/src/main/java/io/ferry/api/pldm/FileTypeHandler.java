package io.ferry.api.pldm;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The storage side of one IBM OEM file type (PLDM type 0x3F, by-type commands): where its files
 * live, which handles and ranges are valid, how files are opened, and what happens after a
 * transfer. Registered as an OSGi service (the whiteboard) with the service property
 * {@value #FILE_TYPE_PROPERTY} = the file type as an {@code Integer}; the transfer service picks
 * it up and serves the type from then on (the first handler of a type wins; a transfer keeps the
 * handler it started with until it ends). Implementations store under a configured base directory
 * and refuse any handle that escapes it with {@code IBM_INVALID_FILE_HANDLE}.
 *
 * <p><b>Call order for one transfer</b> (by the transfer service, on its event-loop thread):
 * {@link #resolve} (an error answers at once) -> {@link #checkRange} (an error answers at once;
 * for reads the length is then clipped with {@link #clampLength}, and DMA lengths are checked
 * after clipping) -> {@link #openRead} / {@link #openWrite} -> the data moves (inline or DMA)
 * through the channel with positional I/O -> the service closes the channel ->
 * {@link #postTransfer} exactly once when every byte moved, and the answer carries its code; or,
 * instead, {@link #transferFailed} when the transfer did not complete (timeout, DMA error,
 * terminus gone, service shut down), and the answer (if any) is {@code ERROR}.
 * {@link #newFileAvailable} and {@link #fileAck} answer the commands of the same names.
 *
 * <p><b>Threading:</b> every method except {@link #fileType()} and {@link #name()} is called on
 * the service's event-loop thread, one call at a time, and must not block: no unbounded reads, no
 * waiting on locks or other threads. Metadata calls (stat, open, rename of one file) and bounded
 * reads of small files are acceptable. {@link #fileType()} and {@link #name()} may be called from
 * any thread.
 *
 * <p><b>Errors:</b> methods return PLDM completion codes ({@link PldmCompletionCodes}) and never
 * throw for host input. A {@link Resolution} made by another handler is refused with 0x86. An
 * exception escaping a handler is caught by the service, logged, and answered as {@code ERROR}.
 */
@ConsumerType
public interface FileTypeHandler {
    /** Service property: the IBM file type served, an {@code Integer} (0 PEL, 1/2 LID, 3 DUMP, ...). */
    String FILE_TYPE_PROPERTY = "ferry.pldm.file.type";

    /** @return the IBM file type served (the same value as the service property). */
    int fileType();

    /** @return a short name for logs and the console ({@code pldm:handlers}). */
    String name();

    /**
     * Maps {@code handle} to a file, or refuses it with {@code IBM_INVALID_FILE_HANDLE} (0x86):
     * not a u32, unknown to this type, or escaping the base directory.
     */
    Resolution resolve(long handle);

    /**
     * Checks a transfer of {@code length} bytes at {@code offset}. Reads: the file must exist (else
     * 0x86) and {@code offset < size} (else {@code IBM_DATA_OUT_OF_RANGE}, 0x87, as openbmc/pldm);
     * the caller then clips the length with {@link #clampLength}. Writes: {@code offset + length}
     * must not exceed the type's maximum size (else 0x87). A direction the type does not allow
     * answers {@code ERROR_UNSUPPORTED_PLDM_CMD}.
     */
    int checkRange(Resolution r, long offset, long length, boolean forWrite);

    /** @return the length a read at {@code offset} may return: {@code length} clipped to the file's end. */
    long clampLength(Resolution r, long offset, long length);

    /** Opens the resolved file for positional reads; the caller closes the channel. */
    OpenResult openRead(Resolution r);

    /** Opens the resolved file for positional writes, creating it where the type allows; the caller closes it. */
    OpenResult openWrite(Resolution r);

    /**
     * The per-type post-transfer callback: called once after all {@code length} bytes of a transfer
     * moved ({@code toHost}: BMC -> host read; else host -> BMC write) and the channel was closed,
     * before the answer is sent.
     *
     * @return {@code SUCCESS}, or the completion code to answer instead
     */
    int postTransfer(Resolution r, boolean toHost, long length);

    /**
     * Called instead of {@link #postTransfer} when a transfer did not complete (timeout, DMA error,
     * terminus gone, service shut down), after the channel was closed. Default: nothing to undo.
     */
    default void transferFailed(Resolution r, boolean toHost) {
    }

    /**
     * NewFileAvailable: the host announces a file of {@code length} bytes at {@code handle}.
     *
     * @return the completion code; default {@code ERROR_UNSUPPORTED_PLDM_CMD}
     */
    default int newFileAvailable(long handle, long length) {
        return PldmCompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
    }

    /**
     * FileAck: the host acknowledges the file at {@code handle} with {@code status} (0 = success).
     *
     * @return the completion code; default {@code ERROR_UNSUPPORTED_PLDM_CMD}
     */
    default int fileAck(long handle, int status) {
        return PldmCompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
    }
}
