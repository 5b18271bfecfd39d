package io.ferry.pldm.handler;

import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.IbmFileTypes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DUMP (3): a system dump streamed from the host to a dump store, <b>one dump at a time</b> (the
 * anchor's field failure). NewFileAvailable(handle, length) starts an offload: refused with
 * {@code ERROR_NOT_READY} (0x04, "busy") while another dump is active, 0x87 for a length of 0 or
 * over the maximum. Writes must come in stream order (offset = bytes received so far, else 0x87)
 * and stay within the announced length (0x87). {@link #postTransfer} adds the length; when it
 * reaches the announced size the offload is complete: {@code incoming/H} is renamed atomically to
 * {@code store/H}, recorded, and the slot freed. FileAck with a non-zero status for the active dump
 * discards it; {@link #discardActive()} does the same for the console or a supervisor. A failed
 * transfer keeps the dump active so the host may retry the same offset. Reads (BMC -> host) come
 * from the store. Names: decimal handles.
 */
public final class DumpHandler extends AbstractFileTypeHandler {
    /** Default largest dump. */
    public static final long MAX_SIZE_DEFAULT = 4L * 1024 * 1024 * 1024 - 1;
    /** No dump in progress. */
    public static final long NONE = -1;

    private final BaseDirectory incoming;
    private final BaseDirectory store;
    private final Set<Long> completed = new LinkedHashSet<>();
    private long active = NONE;
    private long expected;
    private long received;

    public DumpHandler(Path base) throws IOException {
        this(base, MAX_SIZE_DEFAULT);
    }

    public DumpHandler(Path base, long maxSize) throws IOException {
        super(IbmFileTypes.DUMP, maxSize, true, true, true);
        this.incoming = dir(base, "incoming");
        this.store = dir(base, "store");
    }

    public BaseDirectory storeDirectory() {
        return store;
    }

    /** The handle of the dump being offloaded, or {@link #NONE}. */
    public long activeDump() {
        return active;
    }

    /** Bytes of the active dump received so far. */
    public long received() {
        return received;
    }

    /** Handles of completed offloads, in order. */
    public List<Long> completedDumps() {
        return new ArrayList<>(completed);
    }

    @Override
    public int newFileAvailable(long handle, long length) {
        Resolution w = incoming.resolve(handle);
        if (!w.isResolved()) {
            return w.code();
        }
        if (active != NONE && active != handle) {
            return CompletionCodes.ERROR_NOT_READY;
        }
        if (length <= 0 || length > maxSize()) {
            return CompletionCodes.IBM_DATA_OUT_OF_RANGE;
        }
        // A new offload, or the host restarting the same one: start from an empty file.
        int code = incoming.delete(w);
        if (code != CompletionCodes.SUCCESS) {
            return code;
        }
        active = handle;
        expected = length;
        received = 0;
        return CompletionCodes.SUCCESS;
    }

    @Override
    public Resolution resolve(long handle) {
        Resolution s = store.resolve(handle);
        if (!s.isResolved() || store.exists(s)) {
            return s;
        }
        return handle == active ? incoming.resolve(handle)
                : Resolution.refused(handle, CompletionCodes.IBM_INVALID_FILE_HANDLE);
    }

    @Override
    Resolution readTarget(Resolution r) {
        return !r.isResolved() || r.owner() == store ? r : store.resolve(r.handle());
    }

    @Override
    Resolution writeTarget(Resolution r) {
        if (!r.isResolved()) {
            return r;
        }
        if (r.handle() != active) {
            return Resolution.refused(r.handle(), CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        return r.owner() == incoming ? r : incoming.resolve(r.handle());
    }

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        int code = super.checkRange(r, offset, length, forWrite);
        if (code != CompletionCodes.SUCCESS || !forWrite) {
            return code;
        }
        return offset == received && offset + length <= expected
                ? CompletionCodes.SUCCESS : CompletionCodes.IBM_DATA_OUT_OF_RANGE;
    }

    @Override
    public int postTransfer(Resolution r, boolean toHost, long length) {
        if (r == null || !r.isResolved()) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        if (toHost) {
            return CompletionCodes.SUCCESS;
        }
        Resolution w = writeTarget(r);
        if (!w.isResolved()) {
            return w.code();
        }
        if (length < 0 || received + length > expected) {
            return CompletionCodes.IBM_DATA_OUT_OF_RANGE;
        }
        received += length;
        if (received < expected) {
            return CompletionCodes.SUCCESS;
        }
        if (incoming.size(w) != expected) {
            return CompletionCodes.ERROR; // wrong length after chunking: never store a torn dump
        }
        int code = incoming.moveTo(w, store, w.name());
        if (code == CompletionCodes.SUCCESS) {
            completed.add(w.handle());
            active = NONE;
        }
        return code;
    }

    @Override
    public int fileAck(long handle, int status) {
        if (handle == active) {
            if (status != CompletionCodes.SUCCESS) {
                discardActive();
            }
            return CompletionCodes.SUCCESS;
        }
        return completed.contains(handle) ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_HANDLE;
    }

    /** Abandons the active offload (its partial file is deleted); no-op when none is active. */
    public void discardActive() {
        if (active != NONE) {
            Resolution w = incoming.resolve(active);
            if (w.isResolved()) {
                incoming.delete(w);
            }
            active = NONE;
            expected = 0;
            received = 0;
        }
    }
}
