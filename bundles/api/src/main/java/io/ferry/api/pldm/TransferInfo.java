package io.ferry.api.pldm;

import java.time.Instant;

/**
 * An immutable snapshot of one transfer, for consoles and listeners. Any thread.
 *
 * @param id the transfer's id, unique within one service instance, increasing
 * @param terminusEid the MCTP endpoint id the request came with
 * @param command the PLDM command name, such as {@code "WriteFileByTypeFromMemory"}
 * @param fileType the IBM file type, or -1 for the by-handle commands (file table)
 * @param handle the file handle of the request
 * @param direction which way the bytes go
 * @param offset the file offset of the request
 * @param length the bytes to move (for reads, after clipping to the file's end)
 * @param bytesDone bytes moved so far (may lag by up to the service's progress interval)
 * @param state where the transfer stands
 * @param completionCode the code answered (-1 while running, or when nothing was answered)
 * @param started when the request arrived
 */
public record TransferInfo(long id, int terminusEid, String command, int fileType, long handle,
        TransferDirection direction, long offset, long length, long bytesDone, TransferState state,
        int completionCode, Instant started) {

    /** @return {@code bytesDone / length} in percent, 0..100. */
    public int percentDone() {
        return length <= 0 ? 100 : (int) Math.min(100, bytesDone * 100 / length);
    }
}
