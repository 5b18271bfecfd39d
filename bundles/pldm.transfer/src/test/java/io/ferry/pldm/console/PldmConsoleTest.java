package io.ferry.pldm.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.pldm.component.ServiceFixture;
import io.ferry.pldm.handler.DumpHandler;
import io.ferry.pldm.handler.PelHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pldm: commands against a running transfer service (real loop, shm DMA, local terminals). */
class PldmConsoleTest {
    @TempDir
    Path tmp;

    private ServiceFixture fixture;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private PldmConsole console;
    private List<Map<String, Object>> handlerProps;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServiceFixture(tmp, 64L << 20, Map.of());
        PelHandler pel = new PelHandler(tmp.resolve("pel"), 16L << 20);
        DumpHandler dump = new DumpHandler(tmp.resolve("dump"));
        fixture.addHandler(pel);
        fixture.addHandler(dump);
        handlerProps = List.of(
                Map.of(FileTypeHandler.FILE_TYPE_PROPERTY, 0, PldmConsole.BASE_DIRECTORY_PROPERTY, tmp.resolve("pel").toString()),
                Map.of(FileTypeHandler.FILE_TYPE_PROPERTY, 3, PldmConsole.BASE_DIRECTORY_PROPERTY, tmp.resolve("dump").toString()));
        console = new PldmConsole(fixture.service(), fixture.terminals(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String output() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    @Test
    void writeThenReadAPelWithAProgressBarAndTheSameChecksum() throws Exception {
        boolean written = console.write(0, 77, "8M");
        String wrote = output();
        assertTrue(written, wrote);
        assertTrue(wrote.contains("wrote 8.0 MiB to PEL handle 77"), wrote);
        assertEquals(8L << 20, Files.size(tmp.resolve("pel/store/77")));

        Path saved = tmp.resolve("saved.bin");
        boolean ok = console.read(0, 77, "8M", saved.toString());
        String read = output();
        assertTrue(ok, read);
        assertTrue(read.contains("read 8.0 MiB of PEL handle 77"), read);
        String crcWrote = wrote.substring(wrote.indexOf("crc32"));
        String crcRead = read.substring(read.indexOf("crc32"), read.indexOf('\n', read.indexOf("crc32")));
        assertEquals(crcWrote.trim(), crcRead.trim());
        assertEquals(-1, Files.mismatch(saved, tmp.resolve("pel/store/77")));
    }

    @Test
    void writeTakesAFileAndRefusesBadLengthsAndSources() throws Exception {
        Path src = Files.write(tmp.resolve("pel.bin"), new byte[4096]);
        assertTrue(console.write(0, 5, src.toString()));
        output();
        assertFalse(console.write(0, 6, tmp.resolve("missing").toString()));
        assertTrue(output().contains("neither a size"));
        Path odd = Files.write(tmp.resolve("odd.bin"), new byte[100]);
        assertFalse(console.write(0, 6, odd.toString()));
        assertTrue(output().contains("multiple of 16"));
        assertFalse(console.read(0, 5, "100", null));
        assertTrue(output().contains("multiple of 16"));
    }

    @Test
    void errorsFromTheNodeAreShownWithTheirCode() throws Exception {
        assertFalse(console.read(0x33, 1, "4K", null));
        assertTrue(output().contains("0x89"), "unknown type");
        assertFalse(console.read(0, 999, "4K", null));
        assertTrue(output().contains("0x86"), "unknown PEL handle");
    }

    @Test
    void handlersFilesAndTransfersAreListed() throws Exception {
        console.write(0, 12, "4K");
        output();
        console.handlers(handlerProps);
        String h = output();
        assertTrue(h.contains("0 (0x00)") && h.contains("PEL") && h.contains(tmp.resolve("pel").toString()), h);
        assertTrue(h.contains("3 (0x03)") && h.contains("DUMP"), h);
        assertTrue(h.contains("DMA shm"), h);

        console.files(handlerProps);
        String f = output();
        assertTrue(f.contains(tmp.resolve("pel/store/12").toString()) && f.contains("4.0 KiB"), f);

        console.transfers();
        String t = output();
        assertTrue(t.contains("No PLDM transfers in flight.") && t.contains("1 completed"), t);
    }
}
