package io.ferry.bench.pldm;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.PldmCompletionCodes;
import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.handler.BaseDirectory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The benchmark's file type ({@value #TYPE}): files named by decimal handle in one directory, read
 * and written, up to 1 GiB, with nothing to do after a transfer — so the figures are the transfer
 * paths, not a handler's post-processing. Called on the engine's loop only.
 */
final class BenchFileHandler implements FileTypeHandler {
    static final int TYPE = 0x0C;
    private static final long MAX_SIZE = 1L << 30;

    private final BaseDirectory dir;

    BenchFileHandler(Path base) throws IOException {
        dir = BaseDirectory.create(base);
    }

    Path path(long handle) {
        return dir.path().resolve(Long.toString(handle));
    }

    @Override
    public int fileType() {
        return TYPE;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public Resolution resolve(long handle) {
        return dir.resolve(handle);
    }

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        if (forWrite) {
            return offset + length > MAX_SIZE ? PldmCompletionCodes.IBM_DATA_OUT_OF_RANGE : PldmCompletionCodes.SUCCESS;
        }
        long size = dir.size(r);
        return size < 0 ? (int) -size : FileIoChecks.checkOffset(offset, size);
    }

    @Override
    public long clampLength(Resolution r, long offset, long length) {
        long size = dir.size(r);
        return size < 0 ? 0 : FileIoChecks.clampLength(offset, length, size);
    }

    @Override
    public OpenResult openRead(Resolution r) {
        return dir.openRead(r);
    }

    @Override
    public OpenResult openWrite(Resolution r) {
        return dir.openWrite(r, true);
    }

    @Override
    public int postTransfer(Resolution r, boolean toHost, long length) {
        return PldmCompletionCodes.SUCCESS;
    }
}
