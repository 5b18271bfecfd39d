package io.ferry.unix;

import io.ferry.unix.internal.MsgHdrDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@code AF_UNIX} socket address: a filesystem path, or a name in the Linux abstract namespace
 * (no file; it disappears with the last socket bound to it). An abstract name is given
 * <em>without</em> its leading NUL: {@code UnixAddress.abstractName("mctp-mux")} is the kernel's
 * {@code "\0mctp-mux"}. Names are encoded in UTF-8 and may take at most 107 bytes.
 *
 * <p>Immutable; any thread.
 */
public final class UnixAddress {
    /** The longest name or path, in bytes ({@code sun_path} minus the NUL). */
    public static final int MAX_LENGTH = MsgHdrDescriptor.SUN_PATH_SIZE - 1;

    private final boolean isAbstract;
    private final String name;
    private final byte[] bytes;

    private UnixAddress(boolean isAbstract, String name) {
        this.isAbstract = isAbstract;
        this.name = name;
        this.bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty Unix socket name");
        }
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("Unix socket name longer than " + MAX_LENGTH + " bytes: " + name);
        }
        if (!isAbstract && name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in a Unix socket path: " + name);
        }
    }

    /**
     * @param name the abstract name without the leading NUL, e.g. {@code "mctp-mux"}
     * @throws IllegalArgumentException if empty or longer than {@link #MAX_LENGTH} bytes
     */
    public static UnixAddress abstractName(String name) {
        return new UnixAddress(true, Objects.requireNonNull(name, "name"));
    }

    /**
     * @param path the socket file's path (relative paths resolve against the process's directory)
     * @throws IllegalArgumentException if longer than {@link #MAX_LENGTH} bytes
     */
    public static UnixAddress path(Path path) {
        return new UnixAddress(false, Objects.requireNonNull(path, "path").toString());
    }

    /** @return true for an abstract name, false for a filesystem path. */
    public boolean isAbstract() {
        return isAbstract;
    }

    /** @return the abstract name (without NUL) or the path as a string. */
    public String name() {
        return name;
    }

    /** @return the filesystem path, or null for an abstract name. */
    public Path path() {
        return isAbstract ? null : Path.of(name);
    }

    /**
     * Writes {@code struct sockaddr_un} at {@code offset} of a native-order buffer.
     *
     * @return the {@code addrlen} to pass with it
     */
    int encode(ByteBuffer memory, int offset) {
        memory.putShort(offset + MsgHdrDescriptor.SUN_FAMILY_OFFSET, (short) 1 /* AF_UNIX */);
        int at = offset + MsgHdrDescriptor.SUN_PATH_OFFSET;
        if (isAbstract) {
            memory.put(at++, (byte) 0);
        }
        memory.put(at, bytes, 0, bytes.length);
        at += bytes.length;
        if (!isAbstract) {
            memory.put(at++, (byte) 0);
        }
        // Abstract names are exactly as long as given: no terminating NUL is part of the name.
        return at - offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixAddress other && other.isAbstract == isAbstract && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + (isAbstract ? 1 : 0);
    }

    /** @return {@code "@name"} for an abstract name (as {@code ss -x} shows it), else the path. */
    @Override
    public String toString() {
        return isAbstract ? "@" + name : name;
    }
}
