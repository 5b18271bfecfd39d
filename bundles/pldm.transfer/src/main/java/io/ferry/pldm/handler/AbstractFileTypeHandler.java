package io.ferry.pldm.handler;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.OpenResult;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.codec.IbmFileTypes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The common part of the handlers: range checks in openbmc/pldm's order, opening through
 * {@link BaseDirectory}, and the hooks {@link #readTarget} / {@link #writeTarget} that say which of
 * the handler's directories a read or a write of a resolution uses (refused resolutions pass
 * through). Not thread-safe; see {@link FileTypeHandler} for the threading contract.
 */
abstract class AbstractFileTypeHandler implements FileTypeHandler {
    /** Most announced (NewFileAvailable) files remembered at once per handler. */
    static final int MAX_ANNOUNCED = 16;

    private final int fileType;
    private final String name;
    private final long maxSize;
    private final boolean readable;
    private final boolean writable;
    private final boolean creatable;
    /** handle -> announced length, insertion order; bounded by {@link #MAX_ANNOUNCED}. */
    final Map<Long, Long> announced = new LinkedHashMap<>();

    AbstractFileTypeHandler(int fileType, long maxSize, boolean readable, boolean writable, boolean creatable) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
        }
        this.fileType = fileType;
        this.name = IbmFileTypes.name(fileType);
        this.maxSize = maxSize;
        this.readable = readable;
        this.writable = writable;
        this.creatable = creatable;
    }

    static BaseDirectory dir(Path base, String sub) throws IOException {
        return BaseDirectory.create(base.resolve(sub));
    }

    @Override
    public final int fileType() {
        return fileType;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The largest file a write may produce. */
    public final long maxSize() {
        return maxSize;
    }

    /** The resolution a read of {@code r} uses; refused when reads of it are not allowed. */
    abstract Resolution readTarget(Resolution r);

    /** The resolution a write of {@code r} uses; refused when writes of it are not allowed. */
    abstract Resolution writeTarget(Resolution r);

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        if (r == null) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        if (!(forWrite ? writable : readable)) {
            return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
        Resolution t = forWrite ? writeTarget(r) : readTarget(r);
        if (!t.isResolved()) {
            return t.code();
        }
        if (offset < 0 || length < 0 || offset > BaseDirectory.MAX_HANDLE || length > BaseDirectory.MAX_HANDLE) {
            return CompletionCodes.IBM_DATA_OUT_OF_RANGE;
        }
        long size = BaseDirectory.of(t).size(t);
        if (!forWrite) {
            return size < 0 ? (int) -size : FileIoChecks.checkOffset(offset, size);
        }
        if (size < 0 && (size != -CompletionCodes.IBM_INVALID_FILE_HANDLE || !creatable)) {
            return (int) -size;
        }
        return offset + length > maxSize ? CompletionCodes.IBM_DATA_OUT_OF_RANGE : CompletionCodes.SUCCESS;
    }

    @Override
    public long clampLength(Resolution r, long offset, long length) {
        Resolution t = r == null ? null : readTarget(r);
        if (t == null || !t.isResolved()) {
            return 0;
        }
        long size = BaseDirectory.of(t).size(t);
        return size < 0 ? 0 : FileIoChecks.clampLength(offset, length, size);
    }

    @Override
    public OpenResult openRead(Resolution r) {
        if (r == null) {
            return OpenResult.failed(CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        if (!readable) {
            return OpenResult.failed(CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD);
        }
        Resolution t = readTarget(r);
        return t.isResolved() ? BaseDirectory.of(t).openRead(t) : OpenResult.failed(t.code());
    }

    @Override
    public OpenResult openWrite(Resolution r) {
        if (r == null) {
            return OpenResult.failed(CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        if (!writable) {
            return OpenResult.failed(CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD);
        }
        Resolution t = writeTarget(r);
        return t.isResolved() ? BaseDirectory.of(t).openWrite(t, creatable) : OpenResult.failed(t.code());
    }

    /** Records an announced length: 0x87 for 0 or over the maximum, ERROR_NOT_READY when full. */
    int announce(long handle, long length) {
        if (length <= 0 || length > maxSize) {
            return CompletionCodes.IBM_DATA_OUT_OF_RANGE;
        }
        if (!announced.containsKey(handle) && announced.size() >= MAX_ANNOUNCED) {
            return CompletionCodes.ERROR_NOT_READY;
        }
        announced.put(handle, length);
        return CompletionCodes.SUCCESS;
    }

    /**
     * Whether a written file is complete: its size reached the announced length, or nothing was
     * announced (then each completed write request is the whole file).
     */
    boolean complete(Resolution w) {
        Long expected = announced.get(w.handle());
        return expected == null || BaseDirectory.of(w).size(w) >= expected;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
