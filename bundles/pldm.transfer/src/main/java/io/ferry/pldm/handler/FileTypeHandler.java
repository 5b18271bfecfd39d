package io.ferry.pldm.handler;

import io.ferry.pldm.codec.CompletionCodes;

/**
 * The storage side of one IBM OEM file type (PLDM type 0x3F, by-type commands): where its files
 * live, which handles and ranges are valid, how files are opened, and what happens after a
 * transfer. Implementations store under a configured base directory ({@link BaseDirectory}) and
 * refuse any handle that escapes it.
 *
 * <p><b>Call order for one transfer</b> (by the TransferService, on the transfer's event-loop
 * thread): {@link #resolve} (0x86 answers at once) -> {@link #checkRange} (0x87 answers at once;
 * for reads the length is then clipped with {@link #clampLength}) -> {@link #openRead} /
 * {@link #openWrite} -> data moves (inline or DMA) through the channel with positional I/O ->
 * the caller closes the channel -> {@link #postTransfer} exactly once when every byte moved
 * (not on timeout or DMA failure: then {@link #transferFailed}) -> the response carries
 * postTransfer's code. {@link #newFileAvailable} and {@link #fileAck} answer the commands of the
 * same names.
 *
 * <p><b>Threading:</b> every method is called on an event-loop thread and must not block: no
 * unbounded reads, no waiting on locks or other threads. File data goes through the returned
 * {@code FileChannel} with positional reads/writes of bounded size, or is handed to a bounded
 * executor the caller supplies. One handler instance is used by one thread at a time (the
 * registry's owner serialises calls); {@link #fileType()} and {@link #name()} from any thread.
 *
 * <p><b>Errors:</b> methods return PLDM completion codes ({@link CompletionCodes}) and never throw
 * for host input. A {@link Resolution} or channel from another handler is refused with 0x86.
 */
public interface FileTypeHandler {

    /** The IBM file type served (an {@link io.ferry.pldm.codec.IbmFileTypes} value). */
    int fileType();

    /** A short name for logs and the console ({@code pldm:handlers}). */
    String name();

    /**
     * Maps {@code handle} to a file under the handler's base directory, or refuses it with
     * {@code IBM_INVALID_FILE_HANDLE} (0x86): not a u32, unknown to this type, or escaping the base.
     */
    Resolution resolve(long handle);

    /**
     * Checks a transfer of {@code length} bytes at {@code offset}. Reads: the file must exist (else
     * 0x86) and {@code offset < size} (else {@code IBM_DATA_OUT_OF_RANGE}, 0x87, as openbmc/pldm),
     * the length is then clipped by {@link #clampLength}. Writes: {@code offset + length} must not
     * exceed the type's configured maximum size (else 0x87); a type that is read-only answers
     * {@code ERROR_UNSUPPORTED_PLDM_CMD}, a write-only one likewise for reads.
     */
    int checkRange(Resolution r, long offset, long length, boolean forWrite);

    /** The length a read at {@code offset} may return: {@code length} clipped to the file's end. */
    long clampLength(Resolution r, long offset, long length);

    /** Opens the resolved file for positional reads; the caller closes the channel. */
    OpenResult openRead(Resolution r);

    /**
     * Opens the resolved file for positional writes, creating it where the type allows creation;
     * the caller closes the channel.
     */
    OpenResult openWrite(Resolution r);

    /**
     * The per-type post-transfer callback, called once after all {@code length} bytes of a
     * transfer moved ({@code toHost}: BMC -> host read; else host -> BMC write) and the channel was
     * closed. Returns {@code SUCCESS} or the PLDM error code to answer.
     */
    int postTransfer(Resolution r, boolean toHost, long length);

    /**
     * Called instead of {@link #postTransfer} when a transfer did not complete (timeout, DMA error,
     * terminus gone), after the channel was closed. Default: nothing to undo.
     */
    default void transferFailed(Resolution r, boolean toHost) {
    }

    /**
     * NewFileAvailable: the host announces a file of {@code length} bytes at {@code handle}.
     * Default: {@code ERROR_UNSUPPORTED_PLDM_CMD} (the type does not use it).
     */
    default int newFileAvailable(long handle, long length) {
        return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
    }

    /**
     * FileAck: the host acknowledges the file at {@code handle} with {@code status} (0 = success).
     * Default: {@code ERROR_UNSUPPORTED_PLDM_CMD} (the type does not use it).
     */
    default int fileAck(long handle, int status) {
        return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
    }
}
