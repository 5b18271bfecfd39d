package io.ferry.pldm.component;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.PldmCompletionCodes;
import io.ferry.api.pldm.Resolution;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whiteboard {@link FileTypeHandler} as the transfer service's registry holds it: it delegates
 * every call, and remembers the channels it opened for transfers still running. When the handler
 * service goes away, {@link #revoke()} (on the engine's loop) closes those channels, so each
 * transfer still moving bytes fails at its next slice or chunk ({@code -EIO}), the host is answered
 * {@code ERROR}, and the handler's {@link FileTypeHandler#transferFailed} cleans up its partial
 * file — no transfer keeps writing into a handler that has left, and none waits for its timeout.
 * After revocation a late {@link #postTransfer} is turned into {@code transferFailed} + ERROR, and
 * new calls are refused with {@code IBM_INVALID_FILE_TYPE} (0x89).
 *
 * <p><b>Threading:</b> as {@link FileTypeHandler}: every method but {@link #fileType()},
 * {@link #name()} and {@link #openChannels()} on the engine's loop thread only, {@link #revoke()} too.
 */
final class RevocableHandler implements FileTypeHandler {
    private final FileTypeHandler delegate;
    private final List<FileChannel> open = new ArrayList<>();
    private volatile boolean revoked;
    private volatile int openCount;

    RevocableHandler(FileTypeHandler delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    FileTypeHandler delegate() {
        return delegate;
    }

    /** @return channels handed out for transfers that have not closed them yet (any thread; approximate). */
    int openChannels() {
        return openCount;
    }

    boolean isRevoked() {
        return revoked;
    }

    /**
     * Closes every channel still open for a running transfer; loop thread.
     *
     * @return how many were open (the transfers that will fail)
     */
    int revoke() {
        revoked = true;
        prune();
        int n = open.size();
        for (FileChannel ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing is all we want; the transfer sees the channel closed either way
            }
        }
        open.clear();
        openCount = 0;
        return n;
    }

    @Override
    public int fileType() {
        return delegate.fileType();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Resolution resolve(long handle) {
        return revoked ? Resolution.refused(handle, PldmCompletionCodes.IBM_INVALID_FILE_TYPE) : delegate.resolve(handle);
    }

    @Override
    public int checkRange(Resolution r, long offset, long length, boolean forWrite) {
        return revoked ? PldmCompletionCodes.IBM_INVALID_FILE_TYPE : delegate.checkRange(r, offset, length, forWrite);
    }

    @Override
    public long clampLength(Resolution r, long offset, long length) {
        return delegate.clampLength(r, offset, length);
    }

    @Override
    public OpenResult openRead(Resolution r) {
        return track(revoked ? OpenResult.failed(PldmCompletionCodes.IBM_INVALID_FILE_TYPE) : delegate.openRead(r));
    }

    @Override
    public OpenResult openWrite(Resolution r) {
        return track(revoked ? OpenResult.failed(PldmCompletionCodes.IBM_INVALID_FILE_TYPE) : delegate.openWrite(r));
    }

    @Override
    public int postTransfer(Resolution r, boolean toHost, long length) {
        prune();
        if (revoked) {
            delegate.transferFailed(r, toHost);
            return PldmCompletionCodes.ERROR;
        }
        return delegate.postTransfer(r, toHost, length);
    }

    @Override
    public void transferFailed(Resolution r, boolean toHost) {
        prune();
        delegate.transferFailed(r, toHost);
    }

    @Override
    public int newFileAvailable(long handle, long length) {
        return revoked ? PldmCompletionCodes.IBM_INVALID_FILE_TYPE : delegate.newFileAvailable(handle, length);
    }

    @Override
    public int fileAck(long handle, int status) {
        return revoked ? PldmCompletionCodes.IBM_INVALID_FILE_TYPE : delegate.fileAck(handle, status);
    }

    private OpenResult track(OpenResult result) {
        prune();
        if (result.channel() != null) {
            open.add(result.channel());
        }
        openCount = open.size();
        return result;
    }

    /** Forgets channels the service already closed. */
    private void prune() {
        open.removeIf(ch -> !ch.isOpen());
        openCount = open.size();
    }

    @Override
    public String toString() {
        return delegate + (revoked ? " (revoked)" : "");
    }
}
