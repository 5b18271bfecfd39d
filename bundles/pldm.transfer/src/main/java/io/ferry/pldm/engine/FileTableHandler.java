package io.ferry.pldm.engine;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.handler.BaseDirectory;

/**
 * The by-handle commands (ReadFile, WriteFile, Read/WriteFile{Into,From}Memory) seen as a file
 * type, so they share the by-type paths: handles through the {@link FileTable}; reads and writes
 * need an existing file and {@code offset < size} (0x87 otherwise, as openbmc/pldm's
 * {@code file_io.cpp}); reads are clipped to the file's end; nothing happens after a transfer.
 * Loop thread only.
 */
final class FileTableHandler implements FileTypeHandler {
    /** The file type reported for by-handle transfers. */
    static final int NO_FILE_TYPE = -1;

    private final FileTable table;

    FileTableHandler(FileTable table) {
        this.table = table;
    }

    @Override
    public int fileType() {
        return NO_FILE_TYPE;
    }

    @Override
    public String name() {
        return "file table";
    }

    @Override
    public Resolution resolve(long handle) {
        return table.resolve(handle);
    }

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        if (!table.directory().owns(r)) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        long size = table.size(r);
        return size < 0 ? (int) -size : FileIoChecks.checkOffset(offset, size);
    }

    @Override
    public long clampLength(Resolution r, long offset, long length) {
        long size = table.size(r);
        return size < 0 ? 0 : FileIoChecks.clampLength(offset, length, size);
    }

    @Override
    public OpenResult openRead(Resolution r) {
        BaseDirectory d = BaseDirectory.of(r);
        return d == table.directory() ? d.openRead(r) : OpenResult.failed(CompletionCodes.IBM_INVALID_FILE_HANDLE);
    }

    @Override
    public OpenResult openWrite(Resolution r) {
        BaseDirectory d = BaseDirectory.of(r);
        return d == table.directory() ? d.openWrite(r, false)
                : OpenResult.failed(CompletionCodes.IBM_INVALID_FILE_HANDLE);
    }

    @Override
    public int postTransfer(Resolution r, boolean toHost, long length) {
        return CompletionCodes.SUCCESS;
    }
}
