package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The completion codes the front door maps bad requests to, and the error responses it writes for
 * them: wrong lengths, unknown commands, unknown types, lying length fields, forbidden values.
 */
class RequestDecoderTest {
    private final PldmRequestDecoder decoder = new PldmRequestDecoder();
    private final ByteBuffer out = ByteBuffer.allocate(64);

    private int decode(String hex) {
        byte[] b = hex.isBlank() ? new byte[0] : HexFormat.ofDelimiter(" ").parseHex(hex);
        return decoder.decode(ByteBuffer.wrap(b), 0, b.length);
    }

    private String errorResponse() {
        int n = decoder.encodeErrorResponse(out, 0, out.capacity());
        assertTrue(n > 0, PldmCodec.describe(n));
        return HexFormat.ofDelimiter(" ").formatHex(GoldenVectorTest.bytes(out, 0, n));
    }

    @Test
    void shouldAnswerInvalidLengthForEveryRequestVectorOneByteShortOrLong() {
        int checked = 0;
        for (GoldenVectors.Vector v : GoldenVectors.load()) {
            if (!v.kind().equals("req")) {
                continue;
            }
            byte[] b = v.bytes();
            for (int delta : new int[] {-1, +1}) {
                byte[] m = java.util.Arrays.copyOf(b, b.length + delta);
                if (m.length < PldmHeader.LENGTH) {
                    continue; // GetTID / GetPLDMTypes: one byte short is no longer a header (tested below)
                }
                int cc = decoder.decode(ByteBuffer.wrap(m), 0, m.length);
                assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, cc, () -> v.label() + " with " + m.length + " bytes");
                assertTrue(decoder.shouldRespond());
                assertFalse(decoder.kind() == PldmRequestKind.NONE, "the kind is known even when the length is wrong");
                int n = decoder.encodeErrorResponse(out, 0, out.capacity());
                assertEquals(PldmHeader.LENGTH + decoder.kind().errorPayloadLength(), n);
                assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, out.get(PldmHeader.LENGTH));
                checked++;
            }
        }
        assertEquals(72, checked, "39 request vectors x 2, minus the 6 header-only ones made one byte short");
    }

    @Test
    void shouldAnswerInvalidLengthPaddedToTheFixedSizeForIbmFileCommands() {
        // ReadFile with an 11-byte payload: openbmc/pldm answers cc + u32 length 0
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 04 44 33 22 11 10 00 00 00 40 00 00"));
        assertSame(PldmRequestKind.READ_FILE, decoder.kind());
        assertEquals("03 3f 04 03 00 00 00 00", errorResponse());
        // GetFileTable with a 5-byte payload: cc + 5 zero bytes
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 01 44 33 22 11 01"));
        assertEquals("03 3f 01 03 00 00 00 00 00", errorResponse());
        // FileAck has a 1-byte response anyway
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 0d 03 00 44 33 22 11"));
        assertEquals("03 3f 0d 03", errorResponse());
        // DfOpen: DSP0242 error responses are cc-only
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 07 01 22 11 02"));
        assertEquals("03 07 01 03", errorResponse());
    }

    @Test
    void shouldAnswerInvalidLengthWhenWriteFileLengthFieldLies() {
        // 4 data bytes present, length field says 5, then 3, then 0xFFFFFFFF
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 05 44 33 22 11 10 00 00 00 05 00 00 00 de ad be ef"));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 05 44 33 22 11 10 00 00 00 03 00 00 00 de ad be ef"));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 05 44 33 22 11 10 00 00 00 ff ff ff ff de ad be ef"));
        assertEquals("03 3f 05 03 00 00 00 00", errorResponse());
        assertEquals(CompletionCodes.SUCCESS, decode("83 3f 05 44 33 22 11 10 00 00 00 04 00 00 00 de ad be ef"));
    }

    @Test
    void shouldAnswerInvalidLengthWhenWriteFileByTypeLengthFieldLies() {
        // libpldm only checks >= 14 here and openbmc/pldm would then read past the message
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 0c 00 00 44 33 22 11 10 00 00 00 40 00 00 00 de ad be ef"));
        assertSame(PldmRequestKind.WRITE_FILE_BY_TYPE, decoder.kind());
        assertEquals("03 3f 0c 03 00 00 00 00", errorResponse());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("83 3f 0c 00 00 44 33 22 11 10 00 00 00 00 00 00 80 de ad be ef"));
        assertEquals(CompletionCodes.SUCCESS, decode("83 3f 0c 00 00 44 33 22 11 10 00 00 00 04 00 00 00 de ad be ef"));
        // an empty write is well-formed (the handler decides what it means)
        assertEquals(CompletionCodes.SUCCESS, decode("83 3f 0c 00 00 44 33 22 11 10 00 00 00 00 00 00 00"));
    }

    @ParameterizedTest(name = "type 0x{0} command 0x{1}")
    @CsvSource({
        "00, 01", // SetTID
        "00, 06", // SelectPLDMVersion
        "00, 08", // MultipartSend
        "00, 0a", // GetMultipartTransferSupport
        "00, ff",
        "3f, 00",
        "3f, 02",
        "3f, 03",
        "3f, 10",
        "3f, ff",
        "07, 00",
        "07, 10", // DfProperties: no grounded layout yet
        "07, 11", // DfGetFileAttribute
        "07, 12", // DfSetFileAttribute
        "07, 20", // DfRead (DSP0242 reads go through MultipartReceive)
        "07, 21", // DfFifoSend
    })
    void shouldAnswerUnsupportedCommandWithACcOnlyResponse(String type, String command) {
        assertEquals(CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD, decode("85 " + type + " " + command + " 00 00 00 00"));
        assertSame(PldmRequestKind.NONE, decoder.kind());
        assertTrue(decoder.shouldRespond());
        assertEquals("05 " + type + " " + command + " 05", errorResponse());
    }

    @ParameterizedTest(name = "type 0x{0}")
    @ValueSource(ints = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x10, 0x3E})
    void shouldAnswerInvalidPldmTypeForTypesWithoutADecoder(int type) {
        byte[] m = {(byte) 0x9F, (byte) type, 0x01, 0x00};
        assertEquals(CompletionCodes.ERROR_INVALID_PLDM_TYPE, decoder.decode(ByteBuffer.wrap(m), 0, m.length));
        int n = decoder.encodeErrorResponse(out, 0, out.capacity());
        assertEquals(4, n);
        assertEquals(0x1F, out.get(0));
        assertEquals(type, out.get(1));
        assertEquals(CompletionCodes.ERROR_INVALID_PLDM_TYPE, out.get(3));
    }

    @Test
    void shouldCheckTypeBeforeCommandAndCommandBeforeLength() {
        assertEquals(CompletionCodes.ERROR_INVALID_PLDM_TYPE, decode("80 02 ff"));
        assertEquals(CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD, decode("80 3f 02"));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode("80 3f 04"));
    }

    @Test
    void shouldNotAnswerSomethingShorterThanAHeader() {
        for (String m : new String[] {"", "80", "80 00"}) {
            assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decode(m));
            assertFalse(decoder.shouldRespond());
            assertSame(PldmRequestKind.NONE, decoder.kind());
            assertEquals(PldmCodec.INVALID_ARGUMENT, decoder.encodeErrorResponse(out, 0, out.capacity()));
        }
    }

    @Test
    void shouldNotAnswerAResponseOrADatagram() {
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, decode("03 00 02 00 42"));
        assertFalse(decoder.shouldRespond());
        // Rq=1 D=1: an asynchronous notification, decoded but not answered
        assertEquals(CompletionCodes.SUCCESS, decode("c3 00 02"));
        assertSame(PldmRequestKind.GET_TID, decoder.kind());
        assertFalse(decoder.shouldRespond());
    }

    @Test
    void shouldRefuseAHeaderVersionOtherThanZero() {
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, decode("83 40 02"));
        assertTrue(decoder.shouldRespond());
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, decode("83 c0 02"));
    }

    @Test
    void shouldRefuseAMultipartReceiveOperationLibpldmRefuses() {
        String tail = " 44 33 00 00 44 33 22 11 10 00 00 00 40 00 00 00";
        assertEquals(CompletionCodes.SUCCESS, decode("83 00 09 07 04" + tail));
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, decode("83 00 09 07 05" + tail));
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, decode("83 00 09 07 ff" + tail));
        assertEquals("03 00 09 02", errorResponse());
        // NEXT_PART needs a non-zero handle
        assertEquals(CompletionCodes.ERROR_INVALID_DATA,
                decode("83 00 09 07 01 44 33 00 00 00 00 00 00 10 00 00 00 40 00 00 00"));
    }

    @Test
    void shouldDecodeAtAnOffsetWithoutReadingOutsideTheRegion() {
        byte[] m = HexFormat.ofDelimiter(" ").parseHex("83 3f 0b 00 00 44 33 22 11 10 00 00 00 40 00 00 00");
        ByteBuffer b = ByteBuffer.allocate(100);
        b.put(40, m);
        b.limit(40 + m.length);
        assertEquals(CompletionCodes.SUCCESS, decoder.decode(b, 40, m.length));
        assertEquals(0x11223344L, decoder.readWriteFileByTypeRequest().fileHandle());
        // a region that does not fit the buffer is refused, not read
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decoder.decode(b, 40, m.length + 1));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decoder.decode(b, -1, 3));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decoder.decode(b, 0, -3));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decoder.decode(b, Integer.MAX_VALUE, 3));
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, decoder.decode(null, 0, 3));
        assertFalse(decoder.shouldRespond());
    }

    @Test
    void shouldAnswerHandlerErrorsInTheFormLibpldmExpects() {
        // the handler found the handle unknown (0x86) or the offset past the end (0x87)
        assertEquals(CompletionCodes.SUCCESS, decode("83 3f 0b 00 00 44 33 22 11 10 00 00 00 40 00 00 00"));
        int n = decoder.encodeErrorResponse(out, 0, out.capacity(), CompletionCodes.IBM_INVALID_FILE_HANDLE);
        assertEquals("03 3f 0b 86 00 00 00 00", HexFormat.ofDelimiter(" ").formatHex(GoldenVectorTest.bytes(out, 0, n)));
        assertEquals(CompletionCodes.SUCCESS, decode("83 3f 05 44 33 22 11 10 00 00 00 04 00 00 00 de ad be ef"));
        n = decoder.encodeErrorResponse(out, 0, out.capacity(), CompletionCodes.IBM_DATA_OUT_OF_RANGE);
        assertEquals("03 3f 05 87 00 00 00 00", HexFormat.ofDelimiter(" ").formatHex(GoldenVectorTest.bytes(out, 0, n)));
        assertEquals(CompletionCodes.SUCCESS, decode("83 3f 0d 03 00 44 33 22 11 01"));
        n = decoder.encodeErrorResponse(out, 0, out.capacity(), CompletionCodes.IBM_INVALID_FILE_HANDLE);
        assertEquals("03 3f 0d 86", HexFormat.ofDelimiter(" ").formatHex(GoldenVectorTest.bytes(out, 0, n)));
        // SUCCESS is not an error response
        assertEquals(PldmCodec.INVALID_ARGUMENT, decoder.encodeErrorResponse(out, 0, out.capacity(), CompletionCodes.SUCCESS));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, decoder.encodeErrorResponse(out, 0, 3, CompletionCodes.ERROR));
    }
}
