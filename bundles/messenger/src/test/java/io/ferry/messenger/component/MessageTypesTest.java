package io.ferry.messenger.component;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageTypesTest {

    @Test
    void shouldReadDecimalHexListsArraysAndStar() {
        MessageTypes t = MessageTypes.parse("2, 0x11,0X12");
        assertTrue(t.contains(2));
        assertTrue(t.contains(0x11));
        assertTrue(t.contains(0x12));
        assertFalse(t.contains(3));
        assertFalse(t.contains(-1));
        assertTrue(MessageTypes.parse(new String[] {"7", "0x7f01"}).contains(0x7f01));
        assertTrue(MessageTypes.parse(List.of("9")).contains(9));
        assertTrue(MessageTypes.parse(5).contains(5));
        MessageTypes all = MessageTypes.parse("*");
        assertTrue(all.contains(0));
        assertTrue(all.contains(0xFFFF));
    }

    @Test
    void shouldRefuseWhatIsNotATypeList() {
        assertThrows(IllegalArgumentException.class, () -> MessageTypes.parse("ping"));
        assertThrows(IllegalArgumentException.class, () -> MessageTypes.parse("0x10000"));
        assertThrows(IllegalArgumentException.class, () -> MessageTypes.parse("-3"));
        assertThrows(IllegalArgumentException.class, () -> MessageTypes.parse(" , "));
        assertThrows(IllegalArgumentException.class, () -> MessageTypes.parse(null));
    }

    @Test
    void shouldNeverThrowAnythingButIllegalArgumentOnRandomText() {
        Random r = new Random(7);
        String alphabet = "0123456789xXabcdefABCDEF,* -+.g";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(12);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            try {
                MessageTypes t = MessageTypes.parse(b.toString());
                assertFalse(t.toString().isEmpty());
            } catch (IllegalArgumentException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
