package io.ferry.api.pldm;

import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The outcome of opening a resolved file ({@link FileTypeHandler#openRead} /
 * {@link FileTypeHandler#openWrite}): a {@link FileChannel} the caller owns and must close, or the
 * completion code to answer ({@link #channel()} is {@code null}). Immutable; any thread.
 */
public final class OpenResult {
    private final int code;
    private final FileChannel channel;

    private OpenResult(int code, FileChannel channel) {
        this.code = code;
        this.channel = channel;
    }

    /** @return an open channel handed to the caller, who closes it. */
    public static OpenResult opened(FileChannel channel) {
        return new OpenResult(PldmCompletionCodes.SUCCESS, Objects.requireNonNull(channel, "channel"));
    }

    /**
     * @param code the completion code to answer, never {@code SUCCESS}
     * @throws IllegalArgumentException if {@code code} is {@code SUCCESS}
     */
    public static OpenResult failed(int code) {
        if (code == PldmCompletionCodes.SUCCESS) {
            throw new IllegalArgumentException("a failure needs an error code");
        }
        return new OpenResult(code, null);
    }

    /** @return {@code SUCCESS}, or the completion code to answer. */
    public int code() {
        return code;
    }

    /** @return the open channel (owned by the caller), or {@code null} when {@link #code()} is an error. */
    public FileChannel channel() {
        return channel;
    }
}
