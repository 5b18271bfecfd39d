package io.ferry.pldm.console;

import io.ferry.api.pldm.TransferCounters;
import io.ferry.api.pldm.TransferInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text for the console: tables with left-aligned columns, progress bars, byte sizes, and the
 * parsing of sizes typed by a user ({@code 4096}, {@code 64K}, {@code 8M}). Stateless; any thread.
 */
final class ConsoleText {
    static final int BAR_WIDTH = 24;

    private ConsoleText() {
    }

    /** A table: the header row then the rows, columns as wide as their widest cell, two spaces apart. */
    static String table(List<String[]> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** {@code [##########..............]  42%} for {@code done} of {@code total} bytes. */
    static String bar(long done, long total) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        int filled = percent * BAR_WIDTH / 100;
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + String.format(Locale.ROOT, "%3d%%", percent);
    }

    /** Bytes for people: {@code 512 B}, {@code 4.0 KiB}, {@code 256.0 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", n / (1024.0 * 1024 * 1024));
    }

    /**
     * A size typed by a user: digits with an optional K, M or G (powers of 1024).
     *
     * @return the size, or -1 when {@code text} is not one
     */
    static long parseSize(String text) {
        if (text == null) {
            return -1;
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            return -1;
        }
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> unit = 1024;
                case 'M' -> unit = 1024 * 1024;
                case 'G' -> unit = 1024L * 1024 * 1024;
                default -> unit = 1;
            }
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(s) * unit;
    }

    /** The {@code pldm:transfers} report. */
    static String transfers(List<TransferInfo> transfers, TransferCounters c, Instant now) {
        StringBuilder out = new StringBuilder();
        if (transfers.isEmpty()) {
            out.append("No PLDM transfers in flight.\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"id", "eid", "command", "type", "handle", "direction", "progress", "bytes", "state", "age"});
            for (TransferInfo t : transfers) {
                rows.add(new String[] {Long.toString(t.id()), Integer.toString(t.terminusEid()), t.command(),
                        t.fileType() < 0 ? "-" : Integer.toString(t.fileType()), Long.toString(t.handle()),
                        t.direction() == io.ferry.api.pldm.TransferDirection.TO_HOST ? "node->host" : "host->node",
                        bar(t.bytesDone(), t.length()), bytes(t.bytesDone()) + " / " + bytes(t.length()),
                        t.state().name(), age(t.started(), now)});
            }
            out.append("PLDM transfers in flight:\n").append(table(rows));
        }
        out.append(String.format(Locale.ROOT,
                "Counters: %d in flight, %d completed, %d failed, %d timed out, %d abandoned; %s moved; %d requests, %d refused, %d strays%n",
                c.inFlight(), c.completed(), c.failed(), c.timedOut(), c.abandoned(), bytes(c.bytes()), c.requests(),
                c.refused(), c.strays()));
        return out.toString();
    }

    static String age(Instant started, Instant now) {
        if (started == null) {
            return "-";
        }
        long ms = Math.max(0, Duration.between(started, now).toMillis());
        return ms < 10_000 ? ms + " ms" : (ms / 1000) + " s";
    }
}
