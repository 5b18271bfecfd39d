package io.ferry.api.pldm;

import java.nio.file.Path;

/**
 * The outcome of {@link FileTypeHandler#resolve(long)}: either a file of the handler's
 * ({@link #code()} is {@code SUCCESS}, {@link #path()} set) or a refusal carrying the completion
 * code to answer ({@code path()} is {@code null}).
 *
 * <p>Immutable; safe to keep for the life of a transfer and to read from any thread. A successful
 * resolution may name a file that does not exist yet (writes create it); handlers check it again
 * when they open it. {@link #owner()} is the handler's own token (for example the base directory
 * the file lives in), opaque to the service; a handler refuses a resolution whose owner is not
 * one of its own.
 */
public final class Resolution {
    private final int code;
    private final long handle;
    private final Object owner;
    private final String name;
    private final Path path;

    private Resolution(int code, long handle, Object owner, String name, Path path) {
        this.code = code;
        this.handle = handle;
        this.owner = owner;
        this.name = name;
        this.path = path;
    }

    /**
     * A refusal of {@code handle}.
     *
     * @param code the completion code to answer, never {@code SUCCESS}
     * @throws IllegalArgumentException if {@code code} is {@code SUCCESS}
     */
    public static Resolution refused(long handle, int code) {
        if (code == PldmCompletionCodes.SUCCESS) {
            throw new IllegalArgumentException("a refusal needs an error code");
        }
        return new Resolution(code, handle, null, null, null);
    }

    /**
     * A file {@code name} at {@code path} owned by the handler's {@code owner} token.
     *
     * @throws NullPointerException if {@code owner}, {@code name} or {@code path} is null
     */
    public static Resolution resolved(long handle, Object owner, String name, Path path) {
        if (owner == null || name == null || path == null) {
            throw new NullPointerException("owner, name and path are required");
        }
        return new Resolution(PldmCompletionCodes.SUCCESS, handle, owner, name, path);
    }

    /** @return {@code SUCCESS}, or the completion code to answer. */
    public int code() {
        return code;
    }

    /** @return true when a file was found (or may be created). */
    public boolean isResolved() {
        return code == PldmCompletionCodes.SUCCESS;
    }

    /** @return the handle from the request. */
    public long handle() {
        return handle;
    }

    /** @return the handler's token for where the file lives; {@code null} for a refusal. */
    public Object owner() {
        return owner;
    }

    /** @return the file name; {@code null} for a refusal. */
    public String name() {
        return name;
    }

    /** @return the absolute path; {@code null} for a refusal. */
    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return isResolved() ? "Resolution[" + handle + " -> " + path + "]"
                : "Resolution[" + handle + " refused 0x" + Integer.toHexString(code) + "]";
    }
}
