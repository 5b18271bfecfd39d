package io.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes result rows as a JSON array ({@code name, metric, unit, ferry, anchor, anchor_value,
 * ratio}) and as an aligned text table. Stateless; any thread.
 */
public final class ResultWriter {
    private ResultWriter() {
    }

    /** Writes {@code rows} to {@code file} atomically (through a {@code .tmp} file next to it). */
    public static void writeJson(Path file, List<ResultRow> rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, toJson(rows), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the rows as a pretty-printed JSON array. */
    public static String toJson(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            sb.append("  {\"name\": ").append(string(r.name()))
                    .append(", \"metric\": ").append(string(r.metric()))
                    .append(", \"unit\": ").append(string(r.unit()))
                    .append(", \"ferry\": ").append(number(r.ferry()))
                    .append(", \"anchor\": ").append(string(r.anchor()))
                    .append(", \"anchor_value\": ").append(number(r.anchorValue()))
                    .append(", \"ratio\": ").append(number(round(r.ratio(), 3)))
                    .append('}').append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    /** @return the rows as an aligned table with a header line. */
    public static String toTable(List<ResultRow> rows) {
        String[] header = {"name", "metric", "unit", "ferry", "anchor", "anchor_value", "ratio"};
        String[][] cells = new String[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            cells[i] = new String[] {r.name(), r.metric(), r.unit(), human(r.ferry()), r.anchor(), human(r.anchorValue()),
                    Double.isNaN(r.ratio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.ratio())};
        }
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : cells) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        boolean[] right = {false, false, false, true, false, true, true};
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, right);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < header.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append(rule).append('\n');
        for (String[] row : cells) {
            line(sb, row, width, right);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            sb.append(right[c] ? pad + cells[c] : c == cells.length - 1 ? cells[c] : cells[c] + pad);
        }
        sb.append('\n');
    }

    private static String human(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
