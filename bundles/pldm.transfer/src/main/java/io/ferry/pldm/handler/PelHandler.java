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
 * PEL (file type 0). The host writes a PEL to handle {@code H} (file {@code incoming/H}); after the
 * write, {@link #postTransfer} moves it atomically (rename) to {@code store/H} and records it, so a
 * PEL is either wholly in the store or not at all. A host that timed out and retried the same
 * handle (the anchor's "race between storing a PEL and responding") rewrites {@code incoming/H}
 * and the rename replaces {@code store/H}: the PEL is stored and recorded once. Reads (BMC -> host)
 * come from the store only; FileAck records the host's acknowledgement of a stored PEL. A failed
 * write deletes its partial file. Names: decimal handles ({@link BaseDirectory}).
 */
public final class PelHandler extends AbstractFileTypeHandler {
    /** Default largest PEL (openbmc PELs are at most 16 KiB; margin for the host's form). */
    public static final long MAX_SIZE_DEFAULT = 64 * 1024;

    private final BaseDirectory incoming;
    private final BaseDirectory store;
    private final Set<Long> stored = new LinkedHashSet<>();
    private final Set<Long> acked = new LinkedHashSet<>();

    public PelHandler(Path base) throws IOException {
        this(base, MAX_SIZE_DEFAULT);
    }

    /** PELs under {@code base/incoming} and {@code base/store} (one file system, both 0700). */
    public PelHandler(Path base, long maxSize) throws IOException {
        super(IbmFileTypes.PEL, maxSize, true, true, true);
        this.incoming = dir(base, "incoming");
        this.store = dir(base, "store");
    }

    public BaseDirectory storeDirectory() {
        return store;
    }

    /** The handles of the PELs stored so far, in order. */
    public List<Long> storedPels() {
        return new ArrayList<>(stored);
    }

    /** Whether the host acknowledged the PEL at {@code handle}. */
    public boolean isAcked(long handle) {
        return acked.contains(handle);
    }

    @Override
    public Resolution resolve(long handle) {
        Resolution s = store.resolve(handle);
        if (!s.isResolved() || store.exists(s)) {
            return s;
        }
        return incoming.resolve(handle);
    }

    @Override
    Resolution readTarget(Resolution r) {
        if (!r.isResolved()) {
            return r;
        }
        return r.owner() == store ? r : store.resolve(r.handle());
    }

    @Override
    Resolution writeTarget(Resolution r) {
        if (!r.isResolved()) {
            return r;
        }
        return r.owner() == incoming ? r : incoming.resolve(r.handle());
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
        int code = incoming.moveTo(w, store, w.name());
        if (code == CompletionCodes.SUCCESS) {
            stored.add(w.handle());
        }
        return code;
    }

    @Override
    public void transferFailed(Resolution r, boolean toHost) {
        if (r != null && r.isResolved() && !toHost) {
            Resolution w = writeTarget(r);
            if (w.isResolved()) {
                incoming.delete(w);
            }
        }
    }

    @Override
    public int fileAck(long handle, int status) {
        Resolution s = store.resolve(handle);
        if (!s.isResolved() || !store.exists(s)) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        if (status == CompletionCodes.SUCCESS) {
            acked.add(handle);
        }
        return CompletionCodes.SUCCESS;
    }
}
