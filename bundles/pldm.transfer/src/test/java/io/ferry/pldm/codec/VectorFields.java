package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code field=value} text of one vector line. Regular fields ({@code iid=3}, {@code
 * cc=0x86(INVALID_FILE_HANDLE)}, {@code op=GetFirstPart(1)}, {@code type=DUMP(3)},
 * {@code length(u64)=0x40}) go through {@link #num}; the irregular ones (bitfields written as byte
 * lists with {@code then Nx 00}, sets in braces, versions, data descriptions, the file table in
 * brackets) have their own parsers, which the test calls per command.
 */
final class VectorFields {
    private static final Pattern FIELD = Pattern.compile("([A-Za-z_][\\w()\\[\\]]*)=(\\S+)");

    final String text;
    private final Map<String, String> values = new LinkedHashMap<>();

    VectorFields(String text) {
        this.text = text;
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            values.putIfAbsent(m.group(1), m.group(2));
        }
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String raw(String key) {
        String v = values.get(key);
        if (v == null) {
            fail("field " + key + " missing in: " + text);
        }
        return v;
    }

    /**
     * A number: {@code 0x..} hex or decimal; {@code NAME(n)} gives n; {@code 0x..(NAME)} gives the
     * hex; a trailing comma is ignored.
     */
    long num(String key) {
        return parseNumber(raw(key));
    }

    int i(String key) {
        return Math.toIntExact(num(key));
    }

    int iid() {
        return i("iid");
    }

    int cc() {
        return i("cc");
    }

    /** The symbolic part of {@code NAME(n)} or {@code 0x..(NAME)}; null when there is none. */
    String symbol(String key) {
        String v = raw(key);
        int p = v.indexOf('(');
        if (p < 0) {
            return null;
        }
        String before = v.substring(0, p);
        String inside = v.substring(p + 1, v.indexOf(')', p));
        return before.startsWith("0x") ? inside : before;
    }

    static long parseNumber(String value) {
        String v = value.endsWith(",") ? value.substring(0, value.length() - 1) : value;
        int p = v.indexOf('(');
        if (p > 0) {
            String before = v.substring(0, p);
            String inside = v.substring(p + 1, v.indexOf(')', p));
            v = before.startsWith("0x") ? before : inside;
        }
        if (v.startsWith("0x") || v.startsWith("0X")) {
            return Long.parseUnsignedLong(v.substring(2), 16);
        }
        return Long.parseLong(v);
    }

    /** A hex number written without {@code 0x} (the ver32 bytes {@code major=F1}). */
    int hexByte(String key) {
        String v = raw(key);
        if (v.endsWith(",")) {
            v = v.substring(0, v.length() - 1);
        }
        return Integer.parseInt(v, 16);
    }

    /**
     * {@code count} bytes written as hex after {@code marker}, where {@code "then Nx HH"} repeats
     * HH N times ({@code bitfield8[32]=f2 ff then 30x 00}).
     */
    byte[] bytesAfter(String marker, int count) {
        int at = text.indexOf(marker);
        assertTrue(at >= 0, "no '" + marker + "' in: " + text);
        String[] tokens = text.substring(at + marker.length()).trim().split("\\s+");
        byte[] out = new byte[count];
        int n = 0;
        for (int t = 0; t < tokens.length && n < count; t++) {
            String token = tokens[t];
            if (token.equals("then")) {
                String repeat = tokens[++t];
                assertTrue(repeat.endsWith("x"), "bad repeat '" + repeat + "' in: " + text);
                int times = Integer.parseInt(repeat.substring(0, repeat.length() - 1));
                int b = Integer.parseInt(tokens[++t], 16);
                for (int k = 0; k < times && n < count; k++) {
                    out[n++] = (byte) b;
                }
            } else {
                out[n++] = (byte) Integer.parseInt(token, 16);
            }
        }
        assertTrue(n == count, "only " + n + " of " + count + " bytes after '" + marker + "' in: " + text);
        return out;
    }

    /** The numbers in braces after {@code marker}: {@code {0x01,0x04..0x0F}} or {@code {0x00 base, 0x3F OEM}}. */
    BitSet setAfter(String marker) {
        int at = text.indexOf(marker);
        assertTrue(at >= 0, "no '" + marker + "' in: " + text);
        int open = text.indexOf('{', at);
        int close = text.indexOf('}', open);
        BitSet set = new BitSet();
        for (String item : text.substring(open + 1, close).split(",")) {
            String first = item.trim().split("\\s+")[0];
            int range = first.indexOf("..");
            if (range > 0) {
                int from = (int) parseNumber(first.substring(0, range));
                int to = (int) parseNumber(first.substring(range + 2));
                set.set(from, to + 1);
            } else {
                set.set((int) parseNumber(first));
            }
        }
        return set;
    }

    /** {@code version=1.0.0} as a {@link Ver32}. */
    int version() {
        String[] parts = raw("version").split("\\.");
        assertTrue(parts.length == 3, "version " + raw("version"));
        return Ver32.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 0);
    }

    /**
     * The data of a line: {@code data=64 bytes 00 01 .. 3f (data[i]=i)} is {@code length} bytes
     * with {@code data[i] = i}; {@code data=de ad be ef} lists the bytes.
     */
    byte[] data(int length) {
        if (text.contains("(data[i]=i)")) {
            byte[] out = new byte[length];
            for (int k = 0; k < length; k++) {
                out[k] = (byte) k;
            }
            String declared = raw("data");
            if (text.contains("data=" + declared + " bytes")) {
                assertTrue(Integer.parseInt(declared) == length, "data says " + declared + " bytes, length " + length);
            }
            return out;
        }
        return bytesAfter("data=", length);
    }

    /** The file attribute table of a GetFileTable line: {@code table=[handle=.. name_len=.. ..., pad=1x00, crc32=..] (24 table bytes)}. */
    record TableSpec(List<Map<String, String>> entries, int pad, long crc, int tableBytes) {
    }

    TableSpec table() {
        int open = text.indexOf("table=[");
        assertTrue(open >= 0, "no table in: " + text);
        int close = text.indexOf(']', open);
        String inner = text.substring(open + "table=[".length(), close);
        List<Map<String, String>> entries = new ArrayList<>();
        Map<String, String> current = null;
        int pad = -1;
        long crc = -1;
        Matcher m = FIELD.matcher(inner);
        while (m.find()) {
            String key = m.group(1);
            String value = m.group(2);
            if (value.endsWith(",")) {
                value = value.substring(0, value.length() - 1);
            }
            switch (key) {
                case "handle":
                    current = new LinkedHashMap<>();
                    entries.add(current);
                    current.put(key, value);
                    break;
                case "pad":
                    pad = Integer.parseInt(value.substring(0, value.indexOf('x')));
                    current = null;
                    break;
                case "crc32":
                    crc = parseNumber(value);
                    current = null;
                    break;
                default:
                    if (current == null) {
                        fail("table field " + key + " outside an entry in: " + text);
                    }
                    current.put(key, value);
            }
        }
        Matcher bytes = Pattern.compile("\\((\\d+) table bytes\\)").matcher(text.substring(close));
        assertTrue(bytes.find(), "no '(N table bytes)' in: " + text);
        assertTrue(pad >= 0 && crc >= 0, "pad or crc32 missing in: " + text);
        return new TableSpec(entries, pad, crc, Integer.parseInt(bytes.group(1)));
    }
}
