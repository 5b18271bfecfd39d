package io.ferry.pldm.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.pldm.TransferCounters;
import io.ferry.api.pldm.TransferDirection;
import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTextTest {
    @Test
    void sizesTypedByUsersAreParsedInPowersOf1024() {
        assertEquals(4096, ConsoleText.parseSize("4096"));
        assertEquals(65536, ConsoleText.parseSize("64K"));
        assertEquals(8L << 20, ConsoleText.parseSize("8m"));
        assertEquals(8L << 20, ConsoleText.parseSize("8MiB"));
        assertEquals(1L << 30, ConsoleText.parseSize("1G"));
        for (String bad : new String[] {"", "K", "-1", "1.5M", "/tmp/file", "12345678901234", "8MB", null}) {
            assertEquals(-1, ConsoleText.parseSize(bad), "'" + bad + "'");
        }
    }

    @Test
    void progressBarsFillWithTheFraction() {
        assertEquals("[........................]   0%", ConsoleText.bar(0, 100));
        assertEquals("[############............]  50%", ConsoleText.bar(50, 100));
        assertEquals("[########################] 100%", ConsoleText.bar(100, 100));
        assertEquals("[########################] 100%", ConsoleText.bar(0, 0));
    }

    @Test
    void transfersReportShowsEachTransferWithProgressAndTheCounters() {
        Instant now = Instant.parse("2026-01-01T00:00:10Z");
        TransferInfo t = new TransferInfo(3, 100, "WriteFileByTypeFromMemory", 0, 42, TransferDirection.FROM_HOST, 0,
                8 << 20, 2 << 20, TransferState.RUNNING, -1, now.minusMillis(1500));
        String text = ConsoleText.transfers(List.of(t), new TransferCounters(1, 5, 1, 2, 0, 123456, 40, 3, 0), now);
        assertTrue(text.contains("WriteFileByTypeFromMemory"), text);
        assertTrue(text.contains("[######..................]  25%"), text);
        assertTrue(text.contains("2.0 MiB / 8.0 MiB"), text);
        assertTrue(text.contains("host->node"), text);
        assertTrue(text.contains("1500 ms"), text);
        assertTrue(text.contains("1 in flight, 5 completed, 1 failed, 2 timed out"), text);
        String empty = ConsoleText.transfers(List.of(), new TransferCounters(0, 0, 0, 0, 0, 0, 0, 0, 0), now);
        assertTrue(empty.startsWith("No PLDM transfers in flight."), empty);
    }

    @Test
    void tablesAlignColumns() {
        String t = ConsoleText.table(List.of(new String[] {"a", "bb"}, new String[] {"ccc", "d"}));
        assertEquals("  a    bb\n  ccc  d\n", t);
    }
}
