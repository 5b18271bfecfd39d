package io.ferry.pldm.component;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed values out of a configuration dictionary exactly, for the components' checks:
 * ConfigAdmin hands values over as the metatype type, File Install as strings, tests as anything.
 * Each reader throws {@link BadValue} with a message naming the key and the value; the component
 * turns that into its one refusal log line. Stateless; any thread.
 */
final class ConfigValues {
    /** A configuration value that cannot be used; the message names it and says why. */
    static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    private ConfigValues() {
    }

    /** A whole number in {@code min..max}; no truncation of {@code 2.7} or of values beyond a long. */
    static long wholeNumber(Map<String, ?> properties, String key, long defaultValue, long min, long max)
            throws BadValue {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        long n;
        try {
            if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
                n = ((Number) value).longValue();
            } else {
                n = new BigDecimal(String.valueOf(value).trim()).longValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadValue(key + "='" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new BadValue(key + "=" + n + " must be " + min + ".." + max);
        }
        return n;
    }

    /** {@code true} or {@code false} (a Boolean, or the words in any case). */
    static boolean bool(Map<String, ?> properties, String key, boolean defaultValue) throws BadValue {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw new BadValue(key + "='" + value + "' is not true or false");
    }

    /** One of {@code allowed} (case-insensitive, trimmed), returned in lower case. */
    static String choice(Map<String, ?> properties, String key, String defaultValue, String... allowed)
            throws BadValue {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(s)) {
                return a;
            }
        }
        throw new BadValue(key + "='" + value + "' must be one of " + String.join(", ", allowed));
    }

    /**
     * A directory: empty (or absent) means "the default", returned as {@code null}; anything else
     * must be an absolute path without NUL or control characters.
     */
    static Path optionalDirectory(Map<String, ?> properties, String key) throws BadValue {
        Object value = properties.get(key);
        String s = value == null ? "" : String.valueOf(value).trim();
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new BadValue(key + " contains a control character");
            }
        }
        Path p;
        try {
            p = Path.of(s);
        } catch (InvalidPathException e) {
            throw new BadValue(key + "='" + s + "' is not a path: " + e.getReason());
        }
        if (!p.isAbsolute()) {
            throw new BadValue(key + "='" + s + "' must be an absolute path (or empty for the default)");
        }
        return p.normalize();
    }

    /** A non-empty text of at most {@code maxLength} printable ASCII characters. */
    static String text(Map<String, ?> properties, String key, String defaultValue, int maxLength) throws BadValue {
        Object value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        String s = String.valueOf(value).trim();
        if (s.isEmpty() || s.length() > maxLength) {
            throw new BadValue(key + "='" + s + "' must be 1.." + maxLength + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new BadValue(key + "='" + s + "' must be printable ASCII without spaces");
            }
        }
        return s;
    }
}
