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
 * LID_PERM (1) or LID_TEMP (2): code-update staging. LIDs the BMC offers are read from
 * {@code base/lids}; the host writes new LIDs to {@code base/incoming}; when a written LID is
 * complete (its size reached the length announced by NewFileAvailable, or, with no announcement,
 * after its write request) {@link #postTransfer} moves it atomically to {@code base/staging} for
 * the code-update service. Names: eight hex digits + {@code ".lid"} (handle 0x81e00640 ->
 * {@code 81e00640.lid}). Use one base directory per type.
 */
public final class LidHandler extends AbstractFileTypeHandler {
    /** Default largest LID. */
    public static final long MAX_SIZE_DEFAULT = 64L * 1024 * 1024;

    private final BaseDirectory lids;
    private final BaseDirectory incoming;
    private final BaseDirectory staging;
    private final Set<Long> staged = new LinkedHashSet<>();

    public LidHandler(int fileType, Path base) throws IOException {
        this(fileType, base, MAX_SIZE_DEFAULT);
    }

    public LidHandler(int fileType, Path base, long maxSize) throws IOException {
        super(fileType, maxSize, true, true, true);
        if (fileType != IbmFileTypes.LID_PERM && fileType != IbmFileTypes.LID_TEMP) {
            throw new IllegalArgumentException("not a LID type: " + IbmFileTypes.name(fileType));
        }
        this.lids = lidDir(base, "lids");
        this.incoming = lidDir(base, "incoming");
        this.staging = lidDir(base, "staging");
    }

    private static BaseDirectory lidDir(Path base, String sub) throws IOException {
        return BaseDirectory.create(base.resolve(sub), BaseDirectory.NameScheme.HEX, "", ".lid");
    }

    public BaseDirectory lidDirectory() {
        return lids;
    }

    public BaseDirectory stagingDirectory() {
        return staging;
    }

    /** Handles of the LIDs staged so far, in order. */
    public List<Long> stagedLids() {
        return new ArrayList<>(staged);
    }

    @Override
    public Resolution resolve(long handle) {
        Resolution l = lids.resolve(handle);
        if (!l.isResolved() || lids.exists(l)) {
            return l;
        }
        return incoming.resolve(handle);
    }

    @Override
    Resolution readTarget(Resolution r) {
        return !r.isResolved() || r.owner() == lids ? r : lids.resolve(r.handle());
    }

    @Override
    Resolution writeTarget(Resolution r) {
        return !r.isResolved() || r.owner() == incoming ? r : incoming.resolve(r.handle());
    }

    @Override
    public int newFileAvailable(long handle, long length) {
        Resolution w = incoming.resolve(handle);
        return w.isResolved() ? announce(handle, length) : w.code();
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
        if (!complete(w)) {
            return CompletionCodes.SUCCESS; // more chunks to come
        }
        int code = incoming.moveTo(w, staging, w.name());
        if (code == CompletionCodes.SUCCESS) {
            announced.remove(w.handle());
            staged.add(w.handle());
        }
        return code;
    }
}
