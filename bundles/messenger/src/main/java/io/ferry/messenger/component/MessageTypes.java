package io.ferry.messenger.component;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;

/**
 * The message types a whiteboard dispatcher wants, from its {@code ferry.msgr.types} property:
 * {@code "*"}, {@code "2"}, {@code "0x11,0x12"}, or an array or collection of such entries.
 * Immutable after {@link #parse}; {@link #contains} from any thread without allocating.
 */
public final class MessageTypes {
    private final BitSet types;
    private final boolean all;
    private final String text;

    private MessageTypes(BitSet types, boolean all, String text) {
        this.types = types;
        this.all = all;
        this.text = text;
    }

    /**
     * @return the types {@code property} lists
     * @throws IllegalArgumentException naming the bad entry (not a number, outside 0..0xFFFF, or empty)
     */
    public static MessageTypes parse(Object property) {
        String[] entries;
        if (property instanceof String[]) {
            entries = (String[]) property;
        } else if (property instanceof Collection<?>) {
            entries = ((Collection<?>) property).stream().map(String::valueOf).toArray(String[]::new);
        } else if (property instanceof Number) {
            entries = new String[] {property.toString()};
        } else if (property != null) {
            entries = String.valueOf(property).split(",");
        } else {
            throw new IllegalArgumentException("no " + io.ferry.api.msgr.Dispatcher.TYPES_PROPERTY + " property");
        }
        BitSet set = new BitSet(0x10000);
        boolean all = false;
        for (String raw : entries) {
            for (String e : raw.split(",")) {
                String s = e.trim();
                if (s.equals("*")) {
                    all = true;
                    continue;
                }
                if (s.isEmpty()) {
                    continue;
                }
                int t;
                try {
                    t = s.startsWith("0x") || s.startsWith("0X") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("message type '" + s + "' is not a number (decimal, or hex with 0x)");
                }
                if (t < 0 || t > 0xFFFF) {
                    throw new IllegalArgumentException("message type " + s + " is outside 0..0xFFFF");
                }
                set.set(t);
            }
        }
        if (!all && set.isEmpty()) {
            throw new IllegalArgumentException("no message type listed in " + Arrays.toString(entries));
        }
        return new MessageTypes(set, all, all ? "*" : set.stream().mapToObj(i -> "0x" + Integer.toHexString(i))
                .reduce((a, b) -> a + "," + b).orElse(""));
    }

    public boolean contains(int type) {
        return all || (type >= 0 && types.get(type));
    }

    @Override
    public String toString() {
        return text;
    }
}
