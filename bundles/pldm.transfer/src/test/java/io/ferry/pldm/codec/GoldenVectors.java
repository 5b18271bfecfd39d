package io.ferry.pldm.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the libpldm golden vectors ({@code shared/vectors/pldm/*.tsv}): from the folder named by
 * the system property {@value #DIR_PROPERTY} (set by the pom's surefire configuration) when it
 * holds all three files, otherwise from the copy under {@code src/test/resources/vectors/pldm/}.
 */
final class GoldenVectors {
    static final String DIR_PROPERTY = "ferry.vectors.dir";
    static final String RESOURCE_DIR = "/vectors/pldm/";
    static final List<String> FILES = List.of("base.tsv", "file-transfer.tsv", "ibm-file-io.tsv");

    /** One vector line: {@code <Name>.<kind> <fields...> TAB <hex>}. */
    record Vector(String file, int line, String name, String kind, String text, byte[] bytes) {
        String label() {
            return file + ":" + line + " " + name + "." + kind + " " + text;
        }

        @Override
        public String toString() {
            return label();
        }
    }

    private GoldenVectors() {
    }

    /** The shared folder when the property names one holding all three files, else null. */
    static Path sharedDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Path path = Path.of(dir).normalize();
        for (String file : FILES) {
            if (!Files.isRegularFile(path.resolve(file))) {
                return null;
            }
        }
        return path;
    }

    /** Where the vectors were read from, for the test log. */
    static String source() {
        Path shared = sharedDir();
        return shared != null ? shared.toString() : "classpath:" + RESOURCE_DIR;
    }

    /** The text of one vector file, shared copy first. */
    static String read(String file) {
        Path shared = sharedDir();
        try {
            if (shared != null) {
                return Files.readString(shared.resolve(file), StandardCharsets.UTF_8);
            }
            return readResource(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed copy of one file (null when missing). */
    static String readResource(String file) throws IOException {
        try (InputStream in = GoldenVectors.class.getResourceAsStream(RESOURCE_DIR + file)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every vector of every file, in file order. */
    static List<Vector> load() {
        List<Vector> vectors = new ArrayList<>();
        for (String file : FILES) {
            vectors.addAll(parse(file, read(file)));
        }
        return vectors;
    }

    static List<Vector> parse(String file, String content) {
        if (content == null) {
            throw new IllegalStateException("vector file " + file + " not found in " + source());
        }
        List<Vector> vectors = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int tab = lines[i].indexOf('\t');
            if (tab < 0) {
                throw new IllegalStateException(file + ":" + (i + 1) + " has no TAB: " + line);
            }
            String left = lines[i].substring(0, tab).strip();
            String hex = lines[i].substring(tab + 1).strip();
            int space = left.indexOf(' ');
            String head = space < 0 ? left : left.substring(0, space);
            String text = space < 0 ? "" : left.substring(space + 1);
            int dot = head.indexOf('.');
            if (dot < 0) {
                throw new IllegalStateException(file + ":" + (i + 1) + " has no <Name>.<kind>: " + head);
            }
            vectors.add(new Vector(file, i + 1, head.substring(0, dot), head.substring(dot + 1), text, hex(hex)));
        }
        return vectors;
    }

    static byte[] hex(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }
}
