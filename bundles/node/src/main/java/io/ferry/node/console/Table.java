package io.ferry.node.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table with left-aligned columns as wide as their widest cell, for console output.
 * Not thread-safe; build and render on one thread.
 */
public final class Table {
    private static final String GAP = "  ";

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** @param headers the column titles, printed as the first row */
    public Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers.clone());
    }

    /** Adds a row; cells are turned into text with {@link String#valueOf(Object)}. */
    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    /** @return the number of rows below the header. */
    public int size() {
        return rows.size() - 1;
    }

    /** Appends the table, each line starting with {@code indent} and ending with a newline. */
    public void render(StringBuilder out, String indent) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length())).append(GAP);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
