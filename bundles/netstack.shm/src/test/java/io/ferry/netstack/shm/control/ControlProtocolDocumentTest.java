package io.ferry.netstack.shm.control;

import static io.ferry.netstack.shm.control.ControlMessageDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keeps PROTOCOL.md and the codec from drifting apart: the worked example's hex blocks are parsed
 * from the document itself and compared byte for byte with what the encoder writes, and the type
 * table's codes with the constants.
 *
 * <p>The document is read in place, from the module's base directory, which Maven Surefire
 * publishes as the {@code basedir} system property (and uses as the working directory): no copy in
 * test resources that could itself drift, and no extra pom configuration. A missing document
 * fails the test rather than skipping it.
 */
class ControlProtocolDocumentTest {

    private static String document() throws IOException {
        Path path = Path.of(System.getProperty("basedir", "."), "PROTOCOL.md");
        assertTrue(Files.isRegularFile(path), "PROTOCOL.md not found at " + path.toAbsolutePath());
        return Files.readString(path);
    }

    /** The bytes of the fenced block after {@code <!-- example:NAME -->}: "OOOO: xx xx ... ; comment" lines. */
    static byte[] example(String document, String name) {
        String marker = "<!-- example:" + name + " -->";
        int at = document.indexOf(marker);
        assertTrue(at >= 0, "no " + marker + " in PROTOCOL.md");
        int open = document.indexOf("```", at);
        int start = document.indexOf('\n', open) + 1;
        int close = document.indexOf("```", start);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int expectedOffset = 0;
        for (String line : document.substring(start, close).split("\n")) {
            String data = line.split(";", 2)[0].trim();
            if (data.isEmpty()) {
                continue;
            }
            String[] parts = data.split(":", 2);
            assertEquals(expectedOffset, Integer.parseInt(parts[0].trim(), 16), "offset column of: " + line);
            for (String token : parts[1].trim().split("\\s+")) {
                assertEquals(2, token.length(), "byte token '" + token + "' in: " + line);
                bytes.write(Integer.parseInt(token, 16));
                expectedOffset++;
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] encoded(ByteBuffer b, int length) {
        return Arrays.copyOf(b.array(), length);
    }

    @Test
    void shouldEncodeTheDocumentedHelloByteForByte() throws IOException {
        byte[] documented = example(document(), "HELLO");
        ByteBuffer b = ByteBuffer.allocate(MAX_MESSAGE_LENGTH);
        int n = ControlMessageEncoder.hello(b, 0, 1, 1, 1, 4242, UUID.fromString("6f1c2e9a-3b5d-4c7e-8f10-2a3b4c5d6e7f"));
        assertArrayEquals(documented, encoded(b, n));

        ControlMessageDecoder d = new ControlMessageDecoder();
        assertEquals(HELLO, d.wrap(ByteBuffer.wrap(documented), 0, documented.length, 0));
        assertEquals(4242, d.helloClientPid());
    }

    @Test
    void shouldEncodeTheDocumentedHelloReplyByteForByte() throws IOException {
        byte[] documented = example(document(), "HELLO_REPLY");
        ByteBuffer b = ByteBuffer.allocate(MAX_MESSAGE_LENGTH);
        int n = ControlMessageEncoder.helloReply(b, 0, 1, 1, 1000, 64, 32L << 20, 128 * 1024);
        assertArrayEquals(documented, encoded(b, n));

        ControlMessageDecoder d = new ControlMessageDecoder();
        assertEquals(HELLO_REPLY, d.wrap(ByteBuffer.wrap(documented), 0, documented.length, 1));
        assertEquals(32L << 20, d.helloReplySegmentSize());
    }

    @Test
    void shouldListEveryTypeCodeAsTheDescriptorDefinesIt() throws IOException {
        String doc = document();
        for (int type : new int[] {HELLO, HELLO_REPLY, LISTEN, LISTEN_REPLY, CONNECT, ACCEPT, CHANNEL_READY, CLOSE,
                ERROR, DGRAM_OPEN, DGRAM_READY}) {
            String row = String.format("| `0x%04X` | `%s` |", type, typeName(type));
            assertTrue(doc.contains(row), "PROTOCOL.md type table lacks: " + row);
        }
    }

    @Test
    void shouldDocumentEachResultCodeWithItsValue() throws IOException {
        String doc = document();
        for (int code = ERR_FD_COUNT; code <= ERR_TOO_SHORT; code++) {
            String entry = "`" + resultName(code) + "` (" + code + ")";
            assertTrue(doc.contains(entry), "PROTOCOL.md validation order lacks: " + entry);
        }
    }
}
