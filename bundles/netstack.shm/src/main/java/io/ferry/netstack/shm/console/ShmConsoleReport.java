package io.ferry.netstack.shm.console;

import io.ferry.netstack.shm.server.ShmServerSnapshot;
import io.ferry.netstack.shm.server.ShmServerSnapshot.ChannelInfo;
import io.ferry.netstack.shm.server.ShmServerSnapshot.ClientInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders what the shm console commands print: aligned text tables built from an
 * {@link ShmServerSnapshot} and the server's counters. Pure functions of their arguments; any
 * thread.
 */
final class ShmConsoleReport {
    private ShmConsoleReport() {
    }

    /** The server's counters and settings, as {@code shm:stats} prints them. */
    record Stats(String socketPath, int liveClients, int liveChannels, long accepted, long refused, long malformed,
            long timedOut, long hellosCompleted, long channelsOpened, long channelsReset, long refusedConnects,
            long controlOverflows, List<String> listeners, int nodeSockets) {
    }

    /** {@code shm:clients}: one row per connected client process. */
    static String clients(ShmServerSnapshot snapshot) {
        List<String[]> rows = new ArrayList<>();
        for (ClientInfo c : snapshot.clients()) {
            rows.add(new String[] {Long.toString(c.serial()), Integer.toString(c.pid()), Integer.toString(c.uid()),
                    c.helloDone() ? "yes" : "no", Integer.toString(c.openChannels()),
                    c.listeners().isEmpty() ? "-" : String.join(",", c.listeners())});
        }
        return table(new String[] {"client", "pid", "uid", "hello", "channels", "listening on"},
                new boolean[] {true, true, true, false, true, false}, rows)
                + snapshot.clients().size() + " client(s)\n";
    }

    /**
     * {@code shm:channels}: one row per channel the server holds, with each ring's fill level
     * (bytes and percent of its capacity) and the data-doorbell eventfd writes each side made
     * (the notifications actually sent; the skipped ones are counted privately by each side's
     * process and are not in shared memory).
     */
    static String channels(ShmServerSnapshot snapshot) {
        List<String[]> rows = new ArrayList<>();
        for (ChannelInfo ch : snapshot.channels()) {
            rows.add(new String[] {ch.name(), size(ch.ringCapacity()), side(ch.sideA(), ch.aOpen()), side(ch.sideB(), ch.bOpen()),
                    fill(ch.bytesAToB(), ch.ringCapacity()), fill(ch.bytesBToA(), ch.ringCapacity()),
                    Long.toString(ch.dataWakeupsAToB()), Long.toString(ch.dataWakeupsBToA())});
        }
        return table(new String[] {"channel", "ring", "side A", "side B", "fill A->B", "fill B->A", "wakeups A->B",
                "wakeups B->A"}, new boolean[] {false, true, false, false, true, true, true, true}, rows)
                + snapshot.channels().size() + " channel(s); wakeups = eventfd writes made to wake the reading side"
                + " (skipped ones stay private to each side)\n";
    }

    /** {@code shm:stats}: the server's counters. */
    static String stats(Stats s) {
        StringBuilder sb = new StringBuilder();
        line(sb, "socket", s.socketPath());
        line(sb, "clients connected", Integer.toString(s.liveClients()));
        line(sb, "channels open", Integer.toString(s.liveChannels()));
        line(sb, "node sockets open", Integer.toString(s.nodeSockets()));
        line(sb, "connections accepted", Long.toString(s.accepted()));
        line(sb, "connections refused (credentials)", Long.toString(s.refused()));
        line(sb, "clients closed for malformed input", Long.toString(s.malformed()));
        line(sb, "clients timed out in HELLO", Long.toString(s.timedOut()));
        line(sb, "HELLOs completed", Long.toString(s.hellosCompleted()));
        line(sb, "channels opened", Long.toString(s.channelsOpened()));
        line(sb, "channels reset (peer died)", Long.toString(s.channelsReset()));
        line(sb, "connects refused", Long.toString(s.refusedConnects()));
        line(sb, "control queue overflows", Long.toString(s.controlOverflows()));
        line(sb, "listeners", s.listeners().isEmpty() ? "-" : String.join(", ", s.listeners()));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-36s %s%n", key, value));
    }

    private static String side(String who, boolean open) {
        return who + (open ? "" : " (closed)");
    }

    /** @return {@code bytes} as a fill level of a ring of {@code capacity}, e.g. {@code "4096 (3%)"}. */
    static String fill(long bytes, int capacity) {
        if (bytes < 0 || bytes > capacity) {
            return bytes + " (invalid)"; // the indexes are shown as the sides wrote them, unvalidated
        }
        return String.format(Locale.ROOT, "%d (%d%%)", bytes, capacity == 0 ? 0 : Math.round(100.0 * bytes / capacity));
    }

    static String size(int bytes) {
        return bytes >= 1024 && bytes % 1024 == 0 ? (bytes / 1024) + " KiB" : bytes + " B";
    }

    /** An aligned table; {@code right[c]} right-aligns column c. */
    static String table(String[] header, boolean[] right, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        row(sb, header, width, right);
        for (String[] r : rows) {
            row(sb, r, width, right);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String[] cells, int[] width, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            line.append(right[c] ? pad + cells[c] : cells[c] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
