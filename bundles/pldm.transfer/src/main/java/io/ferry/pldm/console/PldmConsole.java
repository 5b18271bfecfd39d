package io.ferry.pldm.console;

import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferService;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.IbmFileIoCommands;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.component.LocalTerminal;
import io.ferry.pldm.component.LocalTerminals;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * What the {@code pldm:} commands do, apart from where the output goes ({@link PldmCommands} hands
 * in the session's {@code System.out}). Runs on the calling (shell) thread; every wait is bounded
 * by the terminal's request timeout.
 */
final class PldmConsole {
    /** How often a long transfer's progress bar is redrawn. */
    static final long PROGRESS_MILLIS = 200;
    /** Transfers shorter than this print no bar, only the result. */
    static final long BAR_THRESHOLD_BYTES = 1L << 20;
    /** Files listed per directory at most by {@code pldm:files}. */
    static final int MAX_FILES_PER_TYPE = 200;
    /** Service property of the handler services naming their base directory. */
    static final String BASE_DIRECTORY_PROPERTY = "ferry.pldm.base.directory";

    private final TransferService service;
    private final LocalTerminals terminals;
    private final PrintStream out;

    PldmConsole(TransferService service, LocalTerminals terminals, PrintStream out) {
        this.service = service;
        this.terminals = terminals;
        this.out = out;
    }

    void transfers() {
        out.print(ConsoleText.transfers(service.transfers(), service.counters(), Instant.now()));
    }

    /** @param handlers the handler services' properties, as the whiteboard has them */
    void handlers(List<Map<String, Object>> handlers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"type", "name", "implementation", "base directory"});
        for (var h : service.handlers()) {
            String base = "-";
            for (Map<String, Object> p : handlers) {
                if (Integer.valueOf(h.fileType()).equals(p.get(io.ferry.api.pldm.FileTypeHandler.FILE_TYPE_PROPERTY))
                        && p.get(BASE_DIRECTORY_PROPERTY) != null) {
                    base = String.valueOf(p.get(BASE_DIRECTORY_PROPERTY));
                    break;
                }
            }
            rows.add(new String[] {String.format(Locale.ROOT, "%d (0x%02X)", h.fileType(), h.fileType()), h.name(),
                    h.implementation(), base});
        }
        out.println("PLDM file-type handlers (other types answer 0x89):");
        if (rows.size() == 1) {
            out.println("  none");
        } else {
            out.print(ConsoleText.table(rows));
        }
        out.println("Service: " + terminals.describe());
    }

    /** Lists the regular files under each handler's base directory (at most three levels down). */
    void files(List<Map<String, Object>> handlers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"type", "file", "size", "modified"});
        for (Map<String, Object> p : handlers) {
            Object type = p.get(io.ferry.api.pldm.FileTypeHandler.FILE_TYPE_PROPERTY);
            Object dir = p.get(BASE_DIRECTORY_PROPERTY);
            if (dir == null) {
                continue;
            }
            Path base = Path.of(String.valueOf(dir));
            String name = type instanceof Integer t ? IbmFileTypes.name(t) : String.valueOf(type);
            int listed = 0;
            try (Stream<Path> walk = Files.walk(base, 3)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.isRegularFile()) {
                        continue;
                    }
                    if (++listed > MAX_FILES_PER_TYPE) {
                        rows.add(new String[] {name, "... (more not shown)", "", ""});
                        break;
                    }
                    rows.add(new String[] {name, f.toString(), ConsoleText.bytes(a.size()),
                            a.lastModifiedTime().toInstant().toString()});
                }
            } catch (IOException | RuntimeException e) {
                rows.add(new String[] {name, base + " (unreadable: " + e.getMessage() + ")", "", ""});
            }
        }
        if (rows.size() == 1) {
            out.println("No files under the handlers' base directories.");
        } else {
            out.print(ConsoleText.table(rows));
        }
    }

    /**
     * The host reads {@code length} bytes of file {@code handle} of {@code fileType} from the node
     * (ReadFileByTypeIntoMemory through a local terminal), optionally saving them to {@code save}.
     *
     * @return true on SUCCESS
     */
    boolean read(int fileType, long handle, String length, String save) throws IOException, InterruptedException {
        long n = ConsoleText.parseSize(length);
        if (n <= 0 || n > Integer.MAX_VALUE || n % 16 != 0) {
            out.println("pldm:read: length '" + length + "' must be a positive multiple of 16 (4096, 64K, 8M)");
            return false;
        }
        try (LocalTerminal host = terminals.open(n, SimulatorBehaviour.NORMAL, 0)) {
            long start = System.nanoTime();
            TerminusSimulator.Result r = await(host, host.simulator().readFileByType(fileType, handle, 0, n), n);
            double ms = (System.nanoTime() - start) / 1e6;
            if (!r.ok()) {
                out.println("pldm:read: type " + IbmFileTypes.name(fileType) + " handle " + handle + " answered "
                        + code(IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY, r.completionCode()));
                return false;
            }
            byte[] data = r.data();
            out.printf(Locale.ROOT, "read %s of %s handle %d in %.1f ms (%.1f MiB/s), crc32 %08x%n",
                    ConsoleText.bytes(r.length()), IbmFileTypes.name(fileType), handle, ms,
                    r.length() / 1048576.0 / Math.max(ms / 1000, 1e-9), crc(data));
            if (save != null) {
                Files.write(Path.of(save), data);
                out.println("saved to " + Path.of(save).toAbsolutePath());
            }
            return true;
        }
    }

    /**
     * The host writes to file {@code handle} of {@code fileType} on the node
     * (WriteFileByTypeFromMemory through a local terminal): the bytes of file {@code source}, or,
     * when {@code source} is a size ({@code 4096}, {@code 8M}), that many bytes of a pattern.
     *
     * @return true on SUCCESS
     */
    boolean write(int fileType, long handle, String source) throws IOException, InterruptedException {
        byte[] data;
        long size = ConsoleText.parseSize(source);
        if (size > 0) {
            if (size > Integer.MAX_VALUE - 8) {
                out.println("pldm:write: " + source + " is too large");
                return false;
            }
            data = new byte[(int) size];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + (i >>> 12));
            }
        } else {
            Path p = Path.of(source);
            if (!Files.isRegularFile(p)) {
                out.println("pldm:write: '" + source + "' is neither a size (4096, 64K, 8M) nor a readable file");
                return false;
            }
            data = Files.readAllBytes(p);
        }
        if (data.length == 0 || data.length % 16 != 0) {
            out.println("pldm:write: " + data.length + " bytes: a DMA length must be a positive multiple of 16");
            return false;
        }
        try (LocalTerminal host = terminals.open(data.length, SimulatorBehaviour.NORMAL, 0)) {
            long start = System.nanoTime();
            TerminusSimulator.Result r = await(host, host.simulator().writeFileByType(fileType, handle, 0, data),
                    data.length);
            double ms = (System.nanoTime() - start) / 1e6;
            if (!r.ok()) {
                out.println("pldm:write: type " + IbmFileTypes.name(fileType) + " handle " + handle + " answered "
                        + code(IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY, r.completionCode()));
                return false;
            }
            out.printf(Locale.ROOT, "wrote %s to %s handle %d in %.1f ms (%.1f MiB/s), crc32 %08x%n",
                    ConsoleText.bytes(data.length), IbmFileTypes.name(fileType), handle, ms,
                    data.length / 1048576.0 / Math.max(ms / 1000, 1e-9), crc(data));
            return true;
        }
    }

    /** Waits for {@code f}, drawing a progress bar from the service's snapshots for long transfers. */
    private TerminusSimulator.Result await(LocalTerminal host, CompletableFuture<TerminusSimulator.Result> f, long length)
            throws IOException, InterruptedException {
        boolean drawn = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * host.timeoutMillis() + 35_000);
        try {
            while (true) {
                try {
                    TerminusSimulator.Result r = f.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
                    if (drawn) {
                        out.print("\r  " + ConsoleText.bar(r.ok() ? length : 0, length) + "\n");
                        out.flush();
                    }
                    return r;
                } catch (TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("no answer within " + (2 * host.timeoutMillis() + 35_000) + " ms");
                    }
                    if (length >= BAR_THRESHOLD_BYTES) {
                        long done = progressOf(host.eid());
                        out.print("\r  " + ConsoleText.bar(done, length) + "  " + ConsoleText.bytes(done) + " / "
                                + ConsoleText.bytes(length));
                        out.flush();
                        drawn = true;
                    }
                }
            }
        } catch (ExecutionException e) {
            if (drawn) {
                out.println();
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }

    private long progressOf(int eid) {
        for (TransferInfo t : service.transfers()) {
            if (t.terminusEid() == eid) {
                return t.bytesDone();
            }
        }
        return 0;
    }

    private static String code(int command, int cc) {
        return String.format(Locale.ROOT, "0x%02X (%s)", cc, CompletionCodes.name(PldmTypes.OEM, command, cc));
    }

    private static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }
}
