package io.ferry.pldm.handler;

import io.ferry.pldm.codec.CompletionCodes;

import java.nio.channels.FileChannel;

/**
 * The outcome of opening a resolved file: a {@link FileChannel} the caller owns and must close, or
 * the completion code to answer ({@code channel()} is {@code null}).
 */
public final class OpenResult {
    private final int code;
    private final FileChannel channel;

    private OpenResult(int code, FileChannel channel) {
        this.code = code;
        this.channel = channel;
    }

    static OpenResult opened(FileChannel channel) {
        return new OpenResult(CompletionCodes.SUCCESS, channel);
    }

    static OpenResult failed(int code) {
        return new OpenResult(code, null);
    }

    /** {@code SUCCESS}, or the completion code to answer. */
    public int code() {
        return code;
    }

    /** The open channel (owned by the caller), or {@code null} when {@link #code()} is an error. */
    public FileChannel channel() {
        return channel;
    }
}
