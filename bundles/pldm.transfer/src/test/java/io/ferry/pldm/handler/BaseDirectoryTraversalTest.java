package io.ferry.pldm.handler;

import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.OpenResult;
import static io.ferry.pldm.codec.CompletionCodes.IBM_INVALID_FILE_HANDLE;
import static io.ferry.pldm.codec.CompletionCodes.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.codec.IbmFileTypes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Path traversal attempts through handles or names are refused, and nothing outside is touched. */
class BaseDirectoryTraversalTest {
    @TempDir
    Path tmp;
    Path outside;
    Path secret;
    BaseDirectory dir;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        secret = Files.writeString(outside.resolve("secret"), "do not touch");
        dir = BaseDirectory.create(tmp.resolve("base"));
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(outside)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(p.toString(), Files.isRegularFile(p) ? Files.readString(p) : "<dir>");
            }
        }
        return m;
    }

    @Test
    void shouldCreateBaseDirectoryWith0700() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())));
    }

    @Test
    void shouldMapHandlesToDecimalAndHexNames() throws IOException {
        assertEquals("42", dir.nameFor(42));
        assertEquals("4294967295", dir.nameFor(0xFFFF_FFFFL));
        BaseDirectory hex = BaseDirectory.create(tmp.resolve("lid"), BaseDirectory.NameScheme.HEX, "", ".lid");
        assertEquals("81e00640.lid", hex.nameFor(0x81e00640L));
        assertNull(dir.nameFor(-1));
        assertNull(dir.nameFor(0x1_0000_0000L));
    }

    @Test
    void shouldRefuseHandlesOutsideU32() {
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(-1).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(0x1_0000_0000L).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(Long.MIN_VALUE).code());
        assertEquals(SUCCESS, dir.resolve(7).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../outside/secret", "/etc/passwd", "a/b", "a\\b", "a\0b", "\0",
        ".hidden", ".tmp-1", "", " ", "-rf", "a b", "x\n", "..%2f", "\u00e9t\u00e9"})
    void shouldRefuseEscapingOrReservedNames(String name) throws IOException {
        Map<String, String> before = snapshot();
        Resolution r = dir.resolveName(1, name);
        assertEquals(IBM_INVALID_FILE_HANDLE, r.code(), name);
        assertNull(r.path());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openWrite(r, true).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openRead(r).code());
        assertEquals(before, snapshot());
        try (Stream<Path> s = Files.list(dir.path())) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void shouldRefuseOverlongNames() {
        String ok = "a".repeat(BaseDirectory.MAX_NAME_LENGTH);
        assertEquals(SUCCESS, dir.resolveName(1, ok).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolveName(1, ok + "a").code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolveName(1, "a".repeat(10_000)).code());
    }

    @Test
    void shouldRefuseSymlinkToEtc() throws IOException {
        Files.createSymbolicLink(dir.path().resolve("7"), Paths.get("/etc/passwd"));
        Files.createSymbolicLink(dir.path().resolve("8"), Paths.get("/etc"));
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(7).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(8).code());
    }

    @Test
    void shouldRefuseSymlinkInsideBaseToo() throws IOException {
        Files.writeString(dir.path().resolve("1"), "x");
        Files.createSymbolicLink(dir.path().resolve("2"), dir.path().resolve("1"));
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(2).code());
    }

    @Test
    void shouldRefuseDirectoriesAndSpecialEntries() throws IOException {
        Files.createDirectory(dir.path().resolve("3"));
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.resolve(3).code());
    }

    @Test
    void shouldRefuseSymlinkSwappedInAfterResolve() throws IOException {
        Path file = Files.writeString(dir.path().resolve("5"), "inside");
        Resolution r = dir.resolve(5);
        assertEquals(SUCCESS, r.code());
        Map<String, String> before = snapshot();

        Files.delete(file);
        Files.createSymbolicLink(file, secret);
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openRead(r).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openWrite(r, true).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openWrite(r, false).code());
        assertTrue(dir.size(r) < 0);
        assertEquals(before, snapshot());
        assertEquals("do not touch", Files.readString(secret));
    }

    @Test
    void shouldRefuseDanglingSymlinkSwappedInBeforeCreate() throws IOException {
        Resolution r = dir.resolve(6);
        assertEquals(SUCCESS, r.code());
        Path target = outside.resolve("created-through-link");
        Files.createSymbolicLink(dir.path().resolve("6"), target);
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openWrite(r, true).code());
        assertFalse(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldRefuseWhenBaseDirectoryIsSwappedForALink() throws IOException {
        Path base = tmp.resolve("swap");
        BaseDirectory d = BaseDirectory.create(base);
        Files.writeString(base.resolve("1"), "x");
        Resolution r = d.resolve(1);
        Files.writeString(outside.resolve("1"), "outside");
        Files.delete(base.resolve("1"));
        Files.delete(base);
        Files.createSymbolicLink(base, outside);
        assertEquals(IBM_INVALID_FILE_HANDLE, d.openRead(r).code());
        assertEquals("outside", Files.readString(outside.resolve("1")));
    }

    @Test
    void shouldCreateFilesWith0600AndReadThemBack() throws IOException {
        Resolution r = dir.resolve(9);
        OpenResult w = dir.openWrite(r, true);
        assertEquals(SUCCESS, w.code());
        try (var ch = w.channel()) {
            ch.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), 0);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(r.path())));
        assertEquals(5, dir.size(r));
        OpenResult rd = dir.openRead(r);
        assertEquals(SUCCESS, rd.code());
        rd.channel().close();
    }

    @Test
    void shouldRefuseResolutionsFromOtherDirectoriesAndTypes() throws IOException {
        BaseDirectory other = BaseDirectory.create(tmp.resolve("other"));
        Resolution foreign = other.resolve(1);
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.openWrite(foreign, true).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, dir.moveTo(foreign, dir, "1"));
        PelHandler pel = new PelHandler(tmp.resolve("pel"));
        assertEquals(IBM_INVALID_FILE_HANDLE, pel.resolve(-5).code());
        assertEquals(IBM_INVALID_FILE_HANDLE, pel.openWrite(pel.resolve(1L << 40)).code());
        assertEquals(IbmFileTypes.PEL, pel.fileType());
    }
}
