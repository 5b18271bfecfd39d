package io.ferry.pldm.engine;

import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileAttributeTable;
import io.ferry.pldm.codec.PldmCodec;
import io.ferry.pldm.handler.BaseDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The IBM file table: the regular files of one directory, named as {@link BaseDirectory} allows
 * (links, hidden and oddly named entries are left out), sorted by name; a file's handle is its
 * index in that order. {@link #rescan()} re-reads the directory (GetFileTable does, so the table
 * the host sees is the one its handles refer to); {@link #resolve} maps a handle through the last
 * scan and {@link BaseDirectory}, which re-checks the real path when the file is opened.
 *
 * <p><b>Threading:</b> confined to the engine's event-loop thread. A scan lists one directory
 * (at most {@link #MAX_ENTRIES} entries): metadata only, bounded.
 */
public final class FileTable {
    /** Most files in one table. */
    public static final int MAX_ENTRIES = 1024;

    private final BaseDirectory directory;
    private List<String> names = List.of();

    /** Creates the directory (0700) if missing, and scans it. */
    public FileTable(Path dir) throws IOException {
        this.directory = BaseDirectory.create(dir);
        rescan();
    }

    /** @return the directory served. */
    public BaseDirectory directory() {
        return directory;
    }

    /** Re-reads the directory; on an I/O error the table is empty. @return the number of files */
    public int rescan() {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory.path())) {
            s.limit(MAX_ENTRIES * 4L).forEach(p -> {
                String name = p.getFileName().toString();
                if (BaseDirectory.checkName(name) == CompletionCodes.SUCCESS
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    found.add(name);
                }
            });
        } catch (IOException | RuntimeException e) {
            found.clear();
        }
        found.sort(null);
        names = List.copyOf(found.size() > MAX_ENTRIES ? found.subList(0, MAX_ENTRIES) : found);
        return names.size();
    }

    /** @return the file names, index = handle. */
    public List<String> names() {
        return names;
    }

    /** @return the file of {@code handle}, or a refusal with {@code IBM_INVALID_FILE_HANDLE} (0x86). */
    public Resolution resolve(long handle) {
        if (handle < 0 || handle >= names.size()) {
            return Resolution.refused(handle, CompletionCodes.IBM_INVALID_FILE_HANDLE);
        }
        return directory.resolveName(handle, names.get((int) handle));
    }

    /** @return the file's size, or a negated completion code (0x86 when it vanished). */
    public long size(Resolution r) {
        return directory.size(r);
    }

    /**
     * Writes the attribute table (entries, padding, CRC-32) at {@code index} of {@code out}.
     *
     * @return the table length, or {@link PldmCodec#INSUFFICIENT_CAPACITY}
     */
    public int encode(ByteBuffer out, int index, int capacity) {
        FileAttributeTable table = new FileAttributeTable().wrapForWrite(out, index, capacity);
        for (int h = 0; h < names.size(); h++) {
            Resolution r = resolve(h);
            long size = r.isResolved() ? directory.size(r) : -1;
            if (size < 0) {
                continue; // vanished or replaced by a link since the scan
            }
            int rc = table.appendEntry(h, names.get(h).getBytes(StandardCharsets.US_ASCII), Math.min(size, 0xFFFF_FFFFL), 0);
            if (rc < 0) {
                return rc;
            }
        }
        return table.finish();
    }
}
