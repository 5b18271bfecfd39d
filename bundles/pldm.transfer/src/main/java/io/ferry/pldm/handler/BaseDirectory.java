package io.ferry.pldm.handler;

import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.OpenResult;
import io.ferry.pldm.codec.CompletionCodes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One flat directory that confines a handler's files: maps a numeric handle to a file name,
 * refuses every handle or name that could escape, and opens files without following links.
 *
 * <p><b>Name scheme.</b> A handle is a u32 (0..0xFFFFFFFF; anything else is refused). Its name is
 * {@code prefix + digits + suffix}, digits being the unsigned decimal value without leading zeros
 * ({@link NameScheme#DECIMAL}: handle 42 -> {@code "42"}) or eight lower-case hex digits
 * ({@link NameScheme#HEX}: handle 0x81e00640 with suffix {@code ".lid"} -> {@code "81e00640.lid"}).
 * Names given directly ({@link #resolveName}) must be 1..{@value #MAX_NAME_LENGTH} characters of
 * {@code [A-Za-z0-9._-]} starting with a letter or digit: this excludes {@code .} and {@code ..},
 * hidden and reserved names (a leading dot is reserved for this class's temporary files), every
 * separator (so absolute paths and sub-directories), NUL and control characters.
 *
 * <p><b>Confinement.</b> The directory is created with 0700 permissions (an existing one is set to
 * 0700) and used through its real path. Files are created 0600. Resolution refuses a name whose
 * entry is a symbolic link or not a regular file. Opening uses {@code NOFOLLOW_LINKS}
 * ({@code O_NOFOLLOW}), so a link swapped in after resolution fails to open; after opening, the
 * entry is checked again (regular file, real path equal to the expected one, directory real path
 * unchanged) and the channel closed and the open refused if anything moved (TOCTOU guard).
 *
 * <p><b>Errors.</b> Bad handles and names give {@code IBM_INVALID_FILE_HANDLE} (0x86); I/O failures
 * give {@code ERROR} (0x01). No method throws for bad input; only {@link #create} throws, for a
 * directory that cannot be set up (a configuration error).
 *
 * <p><b>Threading.</b> Immutable and safe to share; every method does at most a few metadata
 * system calls on one entry and may be called on an event-loop thread.
 */
public final class BaseDirectory {
    /** Longest file name accepted (prefix and suffix included). */
    public static final int MAX_NAME_LENGTH = 64;
    /** Largest handle: the protocol's handles are u32. */
    public static final long MAX_HANDLE = 0xFFFF_FFFFL;

    private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_0600 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> WRITE = Set.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> WRITE_CREATE =
            Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);

    /** How handles become names. */
    public enum NameScheme {
        /** Unsigned decimal, no leading zeros. */
        DECIMAL,
        /** Eight lower-case hex digits. */
        HEX
    }

    private final Path configured;
    private final Path real;
    private final NameScheme scheme;
    private final String prefix;
    private final String suffix;

    private BaseDirectory(Path configured, Path real, NameScheme scheme, String prefix, String suffix) {
        this.configured = configured;
        this.real = real;
        this.scheme = scheme;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /** A directory with the decimal scheme, no prefix or suffix. */
    public static BaseDirectory create(Path dir) throws IOException {
        return create(dir, NameScheme.DECIMAL, "", "");
    }

    /**
     * Creates (or adopts) {@code dir} with 0700 permissions.
     *
     * @throws IOException when the directory cannot be created, is not a directory, or the
     *         prefix/suffix are not valid name parts
     */
    public static BaseDirectory create(Path dir, NameScheme scheme, String prefix, String suffix) throws IOException {
        String sample = prefix + "0" + suffix;
        if (checkName(sample) != CompletionCodes.SUCCESS || prefix.length() + suffix.length() + 8 > MAX_NAME_LENGTH) {
            throw new IOException("invalid name prefix/suffix: '" + prefix + "', '" + suffix + "'");
        }
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            Files.createDirectories(abs, DIR_0700);
        }
        Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwx------"));
        Path real = abs.toRealPath();
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a directory: " + abs);
        }
        return new BaseDirectory(abs, real, scheme, prefix, suffix);
    }

    /** The directory's real path, as fixed when it was created. */
    public Path path() {
        return real;
    }

    /** The name for {@code handle}, or {@code null} when the handle is not a u32. */
    public String nameFor(long handle) {
        if (handle < 0 || handle > MAX_HANDLE) {
            return null;
        }
        String digits = scheme == NameScheme.HEX ? String.format("%08x", handle) : Long.toString(handle);
        return prefix + digits + suffix;
    }

    /**
     * {@code SUCCESS} when {@code name} is a plain file name this class accepts (see the class
     * comment), {@code IBM_INVALID_FILE_HANDLE} otherwise.
     */
    public static int checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return CompletionCodes.IBM_INVALID_FILE_HANDLE;
            }
        }
        return CompletionCodes.SUCCESS;
    }

    /** Resolves {@code handle} through the name scheme; see {@link #resolveName}. */
    public Resolution resolve(long handle) {
        String name = nameFor(handle);
        if (name == null) {
            return Resolution.refused(handle, CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        return resolveName(handle, name);
    }

    /**
     * Resolves {@code name} to a path in this directory. Refused (0x86) for an invalid name, or an
     * existing entry that is a symbolic link or not a regular file; an entry that does not exist
     * yet is resolved (a write may create it).
     */
    public Resolution resolveName(long handle, String name) {
        if (checkName(name) != CompletionCodes.SUCCESS) {
            return Resolution.refused(handle, CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        Path path = real.resolve(name);
        if (!real.equals(path.getParent())) {
            return Resolution.refused(handle, CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        int code = checkEntry(path, true);
        if (code != CompletionCodes.SUCCESS) {
            return Resolution.refused(handle, code);
        }
        return Resolution.resolved(handle, this, name, path);
    }

    /**
     * @return the directory a resolution made by a {@code BaseDirectory} lives in, or {@code null}
     *     for a refusal or a resolution made by someone else
     */
    public static BaseDirectory of(Resolution r) {
        return r != null && r.owner() instanceof BaseDirectory d ? d : null;
    }

    /** Whether {@code r} belongs to this directory. */
    public boolean owns(Resolution r) {
        return r != null && r.isResolved() && r.owner() == this;
    }

    /**
     * The size of the resolved file, or a negated completion code: {@code -IBM_INVALID_FILE_HANDLE}
     * when it is missing, not a regular file or a link, {@code -ERROR} on an I/O failure.
     */
    public long size(Resolution r) {
        if (!owns(r)) {
            return -CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(r.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : -CompletionCodes.IBM_INVALID_FILE_HANDLE;
        } catch (NoSuchFileException e) {
            return -CompletionCodes.IBM_INVALID_FILE_HANDLE;
        } catch (IOException | SecurityException e) {
            return -CompletionCodes.ERROR;
        }
    }

    /** Whether the resolved file exists as a regular file (not through a link). */
    public boolean exists(Resolution r) {
        return size(r) >= 0;
    }

    /** Opens the resolved file for positional reads; the file must exist. */
    public OpenResult openRead(Resolution r) {
        return open(r, READ);
    }

    /** Opens the resolved file for positional writes, creating it (0600) when {@code create}. */
    public OpenResult openWrite(Resolution r, boolean create) {
        return open(r, create ? WRITE_CREATE : WRITE);
    }

    private OpenResult open(Resolution r, Set<OpenOption> options) {
        if (!owns(r)) {
            return OpenResult.failed(CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        FileChannel ch;
        try {
            ch = options.contains(StandardOpenOption.CREATE)
                    ? FileChannel.open(r.path(), options, FILE_0600) : FileChannel.open(r.path(), options);
        } catch (NoSuchFileException e) {
            return OpenResult.failed(CompletionCodes.IBM_INVALID_FILE_HANDLE);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // ELOOP from O_NOFOLLOW (a link swapped in) lands here as a FileSystemException.
            return OpenResult.failed(Files.isSymbolicLink(r.path())
                    ? CompletionCodes.IBM_INVALID_FILE_HANDLE : CompletionCodes.ERROR);
        }
        int code = verifyAfterOpen(r);
        if (code != CompletionCodes.SUCCESS) {
            closeQuietly(ch);
            return OpenResult.failed(code);
        }
        return OpenResult.opened(ch);
    }

    /** TOCTOU guard: the entry is still a regular file whose real path is the expected one. */
    private int verifyAfterOpen(Resolution r) {
        try {
            if (!real.equals(configured.toRealPath())) {
                return CompletionCodes.IBM_INVALID_FILE_HANDLE;
            }
            int code = checkEntry(r.path(), false);
            if (code != CompletionCodes.SUCCESS) {
                return code;
            }
            return r.path().toRealPath().equals(real.resolve(r.name()))
                    ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_HANDLE;
        } catch (IOException | SecurityException e) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
    }

    /**
     * Moves the resolved file atomically into {@code target} under {@code targetName}, replacing an
     * entry of that name (so a retried transfer of the same handle does not duplicate). Both
     * directories must be on one file system. Returns SUCCESS, 0x86 for a bad source or name,
     * ERROR on an I/O failure (including a file system without atomic rename).
     */
    public int moveTo(Resolution r, BaseDirectory target, String targetName) {
        if (!owns(r) || target == null) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        Resolution dest = target.resolveName(r.handle(), targetName);
        if (!dest.isResolved() || checkEntry(r.path(), false) != CompletionCodes.SUCCESS) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        try {
            Files.move(r.path(), dest.path(), StandardCopyOption.ATOMIC_MOVE);
            return CompletionCodes.SUCCESS;
        } catch (AtomicMoveNotSupportedException e) {
            return CompletionCodes.ERROR;
        } catch (IOException | SecurityException e) {
            return CompletionCodes.ERROR;
        }
    }

    /** Deletes the resolved file (a link is removed, never followed); SUCCESS also when absent. */
    public int delete(Resolution r) {
        if (!owns(r)) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        try {
            Files.deleteIfExists(r.path());
            return CompletionCodes.SUCCESS;
        } catch (IOException | SecurityException e) {
            return CompletionCodes.ERROR;
        }
    }

    private static int checkEntry(Path path, boolean missingOk) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_HANDLE;
        } catch (NoSuchFileException e) {
            return missingOk ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_HANDLE;
        } catch (IOException | SecurityException e) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do: the channel is gone either way
        }
    }

    @Override
    public String toString() {
        return "BaseDirectory[" + real + ", " + scheme + "]";
    }
}
