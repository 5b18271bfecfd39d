package io.ferry.pldm.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    @Test
    void wholeNumbersAreReadExactlyFromNumbersAndText() throws Exception {
        assertEquals(42, ConfigValues.wholeNumber(Map.of("n", 42), "n", 1, 0, 100));
        assertEquals(42, ConfigValues.wholeNumber(Map.of("n", " 42 "), "n", 1, 0, 100));
        assertEquals(42, ConfigValues.wholeNumber(Map.of("n", 42L), "n", 1, 0, 100));
        assertEquals(7, ConfigValues.wholeNumber(Map.of(), "n", 7, 0, 100), "absent -> default");
    }

    @Test
    void fractionsOverflowsWordsAndOutOfRangeValuesAreRefusedNamingTheKey() {
        for (Object bad : new Object[] {"2.7", 2.7d, "99999999999999999999999", "many", "", 101, -1}) {
            ConfigValues.BadValue e = assertThrows(ConfigValues.BadValue.class,
                    () -> ConfigValues.wholeNumber(Map.of("maxSize", bad), "maxSize", 1, 0, 100), "value " + bad);
            assertTrue(e.getMessage().startsWith("maxSize"), e.getMessage());
        }
    }

    @Test
    void booleansAcceptOnlyTrueAndFalse() throws Exception {
        assertTrue(ConfigValues.bool(Map.of("b", "TRUE"), "b", false));
        assertFalse(ConfigValues.bool(Map.of("b", Boolean.FALSE), "b", true));
        assertTrue(ConfigValues.bool(Map.of(), "b", true));
        assertThrows(ConfigValues.BadValue.class, () -> ConfigValues.bool(Map.of("b", "yes"), "b", true));
        assertThrows(ConfigValues.BadValue.class, () -> ConfigValues.bool(Map.of("b", 1), "b", true));
    }

    @Test
    void choicesAreCaseInsensitiveAndRefuseOthers() throws Exception {
        assertEquals("client", ConfigValues.choice(Map.of("role", " Client "), "role", "server", "server", "client", "off"));
        ConfigValues.BadValue e = assertThrows(ConfigValues.BadValue.class,
                () -> ConfigValues.choice(Map.of("role", "proxy"), "role", "server", "server", "client", "off"));
        assertTrue(e.getMessage().contains("server, client, off"), e.getMessage());
    }

    @Test
    void directoriesMustBeAbsoluteAndEmptyMeansDefault() throws Exception {
        assertNull(ConfigValues.optionalDirectory(Map.of(), "baseDirectory"));
        assertNull(ConfigValues.optionalDirectory(Map.of("baseDirectory", "  "), "baseDirectory"));
        assertEquals(Path.of("/var/lib/ferry/pel"),
                ConfigValues.optionalDirectory(Map.of("baseDirectory", "/var/lib/ferry/./x/../pel"), "baseDirectory"));
        assertThrows(ConfigValues.BadValue.class,
                () -> ConfigValues.optionalDirectory(Map.of("baseDirectory", "relative/pel"), "baseDirectory"));
        assertThrows(ConfigValues.BadValue.class,
                () -> ConfigValues.optionalDirectory(Map.of("baseDirectory", "/tmp/a\nb"), "baseDirectory"));
        assertThrows(ConfigValues.BadValue.class,
                () -> ConfigValues.optionalDirectory(Map.of("baseDirectory", "/tmp/a\0b"), "baseDirectory"));
    }

    @Test
    void textMustBePrintableAsciiWithinItsLength() throws Exception {
        assertEquals("mctp-mux", ConfigValues.text(Map.of("s", "mctp-mux"), "s", "x", 10));
        assertThrows(ConfigValues.BadValue.class, () -> ConfigValues.text(Map.of("s", "has space"), "s", "x", 20));
        assertThrows(ConfigValues.BadValue.class, () -> ConfigValues.text(Map.of("s", "ünï"), "s", "x", 20));
        assertThrows(ConfigValues.BadValue.class, () -> ConfigValues.text(Map.of("s", "12345678901"), "s", "x", 10));
        assertThrows(ConfigValues.BadValue.class, () -> ConfigValues.text(Map.of("s", ""), "s", "x", 10));
    }
}
