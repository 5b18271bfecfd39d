package io.ferry.api.pldm;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * PLDM file transfer as a node serves it to remote termini (the host): the responder for the
 * DSP0240 base commands and the IBM OEM file I/O commands, with file data moving inline (4 KiB
 * requests) or by DMA into host memory. Each DMA transfer is a context owned by the service's event
 * loop, bounded by a timeout (20 s by default) after which the host is answered {@code ERROR} and
 * everything is freed; the responder keeps answering other requests while transfers run.
 *
 * <p><b>Threading:</b> every method may be called from any thread and none blocks. The query
 * methods return immutable snapshots.
 *
 * <p><b>Shutdown:</b> when the service goes away, the transfers still running end as
 * {@link TransferState#ABANDONED}: their handlers get {@link FileTypeHandler#transferFailed}, and
 * pending {@link #offerFile} stages complete exceptionally.
 */
@ProviderType
public interface TransferService {
    /** @return the DMA transfers running now, oldest first. */
    List<TransferInfo> transfers();

    /** @return the file-type handlers in use, by file type. */
    List<HandlerInfo> handlers();

    /** @return the counters since the service started. */
    TransferCounters counters();

    /** Adds a listener (no effect if already added). */
    void addListener(TransferListener listener);

    /** Removes a listener (no effect if absent). */
    void removeListener(TransferListener listener);

    /**
     * Tells the remote terminus {@code terminusEid} that a file is ready for it (a BMC-initiated
     * NewFileAvailable of {@code fileType}, {@code handle} and {@code length}); the host then reads
     * the file and acknowledges it with FileAck.
     *
     * @return a stage completed with the FileAck's status byte (0 = the host took the file), or
     *     exceptionally when the terminus is unknown or gone, answers NewFileAvailable with an
     *     error (a {@link PldmException} carrying the code), does not acknowledge within the
     *     service's timeout ({@link java.util.concurrent.TimeoutException}), or the service shuts
     *     down; completed on the service's event-loop thread
     */
    CompletionStage<Integer> offerFile(int terminusEid, int fileType, long handle, long length);
}
