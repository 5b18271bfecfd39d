package io.ferry.pldm.engine;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.handler.BaseDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A test file type: reads and writes files named by decimal handle in one base directory, up to
 * 1 GiB, and records every postTransfer / transferFailed call (with what {@code probe} returned at
 * that moment) so tests can check the order of callbacks and answers.
 */
final class ScratchHandler implements FileTypeHandler {
    static final int TYPE = 0x0C;

    record Call(String what, long handle, boolean toHost, long length, long probe) {
    }

    private final BaseDirectory dir;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile int postTransferCode = CompletionCodes.SUCCESS;
    volatile LongSupplier probe = () -> 0;

    ScratchHandler(Path base) throws IOException {
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
        return "scratch";
    }

    @Override
    public Resolution resolve(long handle) {
        return dir.resolve(handle);
    }

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        long size = dir.size(r);
        if (!forWrite) {
            return size < 0 ? (int) -size : FileIoChecks.checkOffset(offset, size);
        }
        return offset + length > (1L << 30) ? CompletionCodes.IBM_DATA_OUT_OF_RANGE : CompletionCodes.SUCCESS;
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
        calls.add(new Call("postTransfer", r.handle(), toHost, length, probe.getAsLong()));
        return postTransferCode;
    }

    @Override
    public void transferFailed(Resolution r, boolean toHost) {
        calls.add(new Call("transferFailed", r.handle(), toHost, -1, probe.getAsLong()));
    }

    long count(String what) {
        return calls.stream().filter(c -> c.what().equals(what)).count();
    }
}
