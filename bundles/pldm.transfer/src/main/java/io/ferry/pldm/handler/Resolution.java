package io.ferry.pldm.handler;

import io.ferry.pldm.codec.CompletionCodes;

import java.nio.file.Path;

/**
 * The outcome of {@link FileTypeHandler#resolve(long)}: either a file inside a handler's base
 * directory ({@link #code()} is {@code SUCCESS}, {@link #path()} is set) or a refusal carrying the
 * completion code to answer ({@code path()} is {@code null}). Immutable; safe to keep for the life
 * of a transfer. A successful resolution names a file that may not exist yet (writes create it);
 * it is checked again, against its real path, when it is opened.
 */
public final class Resolution {
    private final int code;
    private final long handle;
    private final BaseDirectory directory;
    private final String name;
    private final Path path;

    Resolution(int code, long handle, BaseDirectory directory, String name, Path path) {
        this.code = code;
        this.handle = handle;
        this.directory = directory;
        this.name = name;
        this.path = path;
    }

    /** A refusal of {@code handle} with {@code code} (never {@code SUCCESS}). */
    public static Resolution refused(long handle, int code) {
        if (code == CompletionCodes.SUCCESS) {
            throw new IllegalArgumentException("a refusal needs an error code");
        }
        return new Resolution(code, handle, null, null, null);
    }

    /** {@code SUCCESS}, or the completion code to answer. */
    public int code() {
        return code;
    }

    public boolean isResolved() {
        return code == CompletionCodes.SUCCESS;
    }

    /** The handle from the request. */
    public long handle() {
        return handle;
    }

    /** The base directory the file lives in; {@code null} for a refusal. */
    public BaseDirectory directory() {
        return directory;
    }

    /** The file name inside {@link #directory()}; {@code null} for a refusal. */
    public String name() {
        return name;
    }

    /** The absolute path (under the directory's real path); {@code null} for a refusal. */
    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return isResolved() ? "Resolution[" + handle + " -> " + path + "]"
                : "Resolution[" + handle + " refused 0x" + Integer.toHexString(code) + "]";
    }
}
