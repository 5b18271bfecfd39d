package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Header, helpers and the encode/decode paths the golden vectors do not reach. */
class FlyweightTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private static ByteBuffer wrap(String hex) {
        return ByteBuffer.wrap(HEX.parseHex(hex));
    }

    private static String hex(ByteBuffer b, int index, int length) {
        return HEX.formatHex(GoldenVectorTest.bytes(b, index, length));
    }

    // ---- header -------------------------------------------------------------------------------

    @Test
    void shouldLayOutTheHeaderBitsAsDsp0240Says() {
        ByteBuffer b = ByteBuffer.allocate(3);
        PldmHeader h = new PldmHeader().wrap(b, 0);
        assertEquals(0, h.set(true, true, 31, 0x3F, 0xFF));
        assertEquals("df 3f ff", hex(b, 0, 3));
        assertTrue(h.isRequest());
        assertTrue(h.isDatagram());
        assertEquals(31, h.instanceId());
        assertEquals(0, h.headerVersion());
        assertEquals(0x3F, h.pldmType());
        assertEquals(0xFF, h.command());
        assertEquals(PldmCodec.INVALID_ARGUMENT, h.set(true, false, 32, 0, 0));
        assertEquals(PldmCodec.INVALID_ARGUMENT, h.set(true, false, 0, 64, 0));
        assertEquals(PldmCodec.INVALID_ARGUMENT, h.set(true, false, 0, 0, 256));
        assertEquals("df 3f ff", hex(b, 0, 3), "a refused header writes nothing");
        b.put(1, (byte) 0xC7);
        assertEquals(3, h.headerVersion());
        assertEquals(7, h.pldmType());
        assertThrows(IndexOutOfBoundsException.class, () -> h.wrap(b, 1));
    }

    @Test
    void shouldBuildTheResponseHeaderFromTheRequestAndCorrelateThem() {
        ByteBuffer request = wrap("d5 3f 0b 00");
        ByteBuffer response = ByteBuffer.allocate(8);
        response.put(0, (byte) 0xFF).put(1, (byte) 0xFF);
        PldmHeader.putResponseFor(request, 0, response, 2);
        assertEquals("15 3f 0b", hex(response, 2, 3), "Rq and D cleared, iid, type and command kept");
        assertTrue(PldmHeader.correlates(request, 0, response, 2));
        response.put(2, (byte) 0x14);
        assertFalse(PldmHeader.correlates(request, 0, response, 2), "another instance id");
        assertFalse(PldmHeader.correlates(response, 2, request, 0), "the request must be the request");
        // in place
        PldmHeader.putResponseFor(request, 0, request, 0);
        assertEquals("15 3f 0b 00", hex(request, 0, 4));
    }

    @Test
    void shouldNotTouchTheBufferPositionLimitOrOrder() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        b.position(5).limit(60);
        ReadWriteFileMemoryRequest r = new ReadWriteFileMemoryRequest().wrap(b, 10, 30);
        assertEquals(23, r.encode(3, IbmFileIoCommands.READ_FILE_INTO_MEMORY, 0x11223344L, 0x10, 0x40, 0x1122334455667788L));
        assertEquals(5, b.position());
        assertEquals(60, b.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, b.order());
        assertEquals("44 33 22 11", hex(b, 13, 4), "little-endian whatever the buffer's order");
        assertEquals(0x1122334455667788L, r.address());
    }

    // ---- encoder results ------------------------------------------------------------------------

    @Test
    void shouldReportInsufficientCapacityInsteadOfWritingPastTheRegion() {
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, new EmptyRequest().wrap(b, 0, 2).encodeGetTid(0));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, new GetTidResponse().wrap(b, 0, 4).encode(0, 0, 1));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY,
                new ReadWriteFileByTypeMemoryRequest().wrap(b, 0, 24).encode(0, 8, 0, 1, 0, 16, 0));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY,
                new FileLengthResponse().wrap(b, 0, 7).encode(0, IbmFileIoCommands.READ_FILE, 0x86, 0));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY,
                new FileLengthResponse().wrap(b, 0, 20).encode(0, IbmFileIoCommands.READ_FILE, 0, 64));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, new MultipartReceiveResponse().wrap(b, 0, 40)
                .encode(0, TransferFlags.START_AND_END, 0, ByteBuffer.allocate(64), 0, 64));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, new ReadWriteFileRequest().wrap(b, 0, 20)
                .encodeWriteFile(0, 1, 0, ByteBuffer.allocate(8), 0, 8));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, new GetFileTableResponse().wrap(b, 0, 8).encodeError(0, 0x83));
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, ErrorResponses.encode(b, 0, 7, 0, PldmTypes.OEM, 4, 0x86));
    }

    @Test
    void shouldRefuseValuesThatDoNotFitOrThatLibpldmRefuses() {
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(PldmCodec.INVALID_ARGUMENT, new EmptyRequest().wrap(b, 0, 64).encodeGetTid(32));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new EmptyRequest().wrap(b, 0, 64).encodeGetTid(-1));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new ReadWriteFileByTypeRequest().wrap(b, 0, 64)
                .encodeReadFileByType(0, 0x10000, 1, 0, 16));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new ReadWriteFileRequest().wrap(b, 0, 64).encodeReadFile(0, 1, 0, 0),
                "libpldm refuses a zero-length ReadFile");
        assertEquals(PldmCodec.INVALID_ARGUMENT, new ReadWriteFileRequest().wrap(b, 0, 64)
                .encodeReadFile(0, 0x1_0000_0000L, 0, 1));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new NegotiateTransferParametersResponse().wrap(b, 0, 64)
                .encode(0, 0, 255, 0), "libpldm refuses a part size below 256");
        assertEquals(PldmCodec.INVALID_ARGUMENT, new FileLengthResponse().wrap(b, 0, 64)
                .encode(0, IbmFileIoCommands.FILE_ACK, 0, 0));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new ReadWriteFileMemoryRequest().wrap(b, 0, 64)
                .encode(0, IbmFileIoCommands.READ_FILE, 1, 0, 16, 0));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new GetFileTableResponse().wrap(b, 0, 64).encodeError(0, 0));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new CcOnlyResponse().wrap(b, 0, 64).encode(0, 0x3F, 0x0D, 0x100));
        assertEquals(PldmCodec.INVALID_ARGUMENT, ErrorResponses.encode(b, 0, 64, 0, 0x3F, 4, CompletionCodes.SUCCESS));
        assertEquals(PldmCodec.INVALID_ARGUMENT, new FileAttributeTable().wrap(b, 0, 8).finish());
        assertThrows(IndexOutOfBoundsException.class, () -> new GetTidResponse().wrap(b, 60, 8));
    }

    // ---- response forms not in the vectors --------------------------------------------------------

    @Test
    void shouldAcceptBothTheCcOnlyAndThePaddedErrorForms() {
        FileLengthResponse r = new FileLengthResponse();
        assertEquals(CompletionCodes.SUCCESS, r.wrap(wrap("03 3f 0b 86"), 0, 4).validate(), "cc-only");
        assertEquals(CompletionCodes.SUCCESS, r.wrap(wrap("03 3f 0b 86 00 00 00 00"), 0, 8).validate(), "padded");
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, r.wrap(wrap("03 3f 0b 86 00 00"), 0, 6).validate());
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, r.wrap(wrap("83 3f 0b 86"), 0, 4).validate(), "a request");
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, r.wrap(wrap("03 3f 0d 86"), 0, 4).validate(), "FileAck");
        GetFileTableResponse t = new GetFileTableResponse();
        assertEquals(CompletionCodes.SUCCESS, t.wrap(wrap("03 3f 01 83"), 0, 4).validate());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, t.wrap(wrap("03 3f 01 00 00 00 00 00 05"), 0, 9).validate(),
                "a success response needs table bytes");
        DfOpenResponse d = new DfOpenResponse();
        assertEquals(CompletionCodes.SUCCESS, d.wrap(wrap("03 07 01 86 00 00"), 0, 6).validate(), "padded is fine too");
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, d.wrap(wrap("03 07 01 00 44"), 0, 5).validate());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, d.wrap(wrap("03 07"), 0, 2).validate());
    }

    @Test
    void shouldRefuseAReadFileResponseWhoseLengthDisagreesWithItsData() {
        FileLengthResponse r = new FileLengthResponse();
        assertEquals(CompletionCodes.SUCCESS, r.wrap(wrap("03 3f 04 00 02 00 00 00 aa bb"), 0, 10).validate());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, r.wrap(wrap("03 3f 04 00 03 00 00 00 aa bb"), 0, 10).validate());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, r.wrap(wrap("03 3f 05 00 02 00 00 00 aa bb"), 0, 10).validate(),
                "WriteFile's response carries no data");
    }

    @Test
    void shouldEncodeMultipartReceiveAcknowledgeCompletionWithoutChecksum() {
        ByteBuffer b = ByteBuffer.allocate(64);
        MultipartReceiveResponse r = new MultipartReceiveResponse().wrap(b, 0, 64);
        assertEquals(13, r.encodeInPlace(3, TransferFlags.ACKNOWLEDGE_COMPLETION, 0, 0));
        assertEquals("03 00 09 00 08 00 00 00 00 00 00 00 00", hex(b, 0, 13));
        MultipartReceiveResponse d = new MultipartReceiveResponse().wrap(b, 0, 13);
        assertEquals(CompletionCodes.SUCCESS, d.validate());
        assertFalse(d.hasChecksum());
        assertTrue(d.checksumMatches());
        // an empty middle part: libpldm's encoder omits the checksum, the DSP0240 form has it
        assertEquals(CompletionCodes.SUCCESS, d.wrap(wrap("03 00 09 00 02 01 00 00 00 00 00 00 00"), 0, 13).validate());
        assertEquals(CompletionCodes.SUCCESS, d.wrap(wrap("03 00 09 00 02 01 00 00 00 00 00 00 00 00 00 00 00"), 0, 17).validate());
        assertTrue(d.checksumMatches(), "CRC-32 of nothing is 0");
        // a part with data but no checksum is refused unless it acknowledges completion
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, d.wrap(wrap("03 00 09 00 04 00 00 00 00 01 00 00 00 aa"), 0, 14).validate());
        assertEquals(CompletionCodes.SUCCESS, d.wrap(wrap("03 00 09 00 08 00 00 00 00 01 00 00 00 aa"), 0, 14).validate());
        // a wrong checksum is well-formed but does not match
        assertEquals(CompletionCodes.SUCCESS, d.wrap(wrap("03 00 09 00 04 00 00 00 00 01 00 00 00 aa 00 00 00 00"), 0, 18).validate());
        assertFalse(d.checksumMatches());
    }

    @Test
    void shouldDecodeAGetPldmVersionResponseWithSeveralVersionsAndACrc() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put(0, HEX.parseHex("00 00 03 00 00 00 00 00 05 00 f0 f0 f1 00 f0 f1 f1"));
        long crc = Crc32.compute(b, 9, 8);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(17, (int) crc);
        GetPldmVersionResponse r = new GetPldmVersionResponse().wrap(b, 0, 21);
        assertEquals(CompletionCodes.SUCCESS, r.validate());
        assertTrue(r.hasCrc());
        assertEquals(2, r.versionCount());
        assertEquals("1.0.0", Ver32.toString(r.version(0)));
        assertEquals("1.1.0", Ver32.toString(r.version(1)));
        assertTrue(r.crcMatches());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, r.wrap(b, 0, 20).validate());
    }

    // ---- the file attribute table ----------------------------------------------------------------

    @Test
    void shouldPadEveryTableToFourBytesAndCoverThePaddingWithTheCrc() {
        for (int nameLength = 0; nameLength < 8; nameLength++) {
            ByteBuffer b = ByteBuffer.allocate(128);
            FileAttributeTable t = new FileAttributeTable().wrapForWrite(b, 4, 100);
            byte[] name = "abcdefgh".substring(0, nameLength).getBytes(StandardCharsets.US_ASCII);
            assertEquals(14 + nameLength, t.appendEntry(1, name, 10, 0));
            assertEquals(14 + nameLength + 14, t.appendEntry(2, new byte[0], 20, 1));
            int total = t.finish();
            int data = 28 + nameLength;
            int padded = (data + 3) / 4 * 4;
            assertEquals(padded + 4, total);
            CRC32 crc = new CRC32();
            crc.update(b.array(), 4, padded);
            assertEquals(crc.getValue(), t.crc());
            FileAttributeTable r = new FileAttributeTable().wrap(b, 4, total);
            assertEquals(CompletionCodes.SUCCESS, r.validate());
            assertEquals(2, r.entryCount());
            assertEquals(20, r.entrySize(r.findEntry(2)));
            assertEquals(-1, r.findEntry(3));
        }
    }

    @Test
    void shouldRefuseATableWithABadCrcOrAnEntryRunningPastTheEnd() {
        ByteBuffer b = ByteBuffer.allocate(64);
        FileAttributeTable t = new FileAttributeTable().wrapForWrite(b, 0, 64);
        t.appendEntry(0x11223344L, "filea".getBytes(StandardCharsets.US_ASCII), 0x40, 1);
        int total = t.finish();
        assertEquals(24, total);
        assertEquals(0x7c190dcdL, t.crc(), "the golden vector's CRC");
        b.put(20, (byte) (b.get(20) ^ 1));
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, t.wrap(b, 0, total).validate());
        b.put(20, (byte) (b.get(20) ^ 1));
        b.put(4, (byte) 7); // name length 7: the entry now runs into the CRC
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, t.wrap(b, 0, total).validate());
        assertEquals(0, t.entryCount());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, t.wrap(b, 0, 23).validate());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, t.wrap(b, 0, 3).validate());
    }

    @Test
    void shouldRefuseAnEntryThatDoesNotFitTheRegion() {
        ByteBuffer b = ByteBuffer.allocate(64);
        FileAttributeTable t = new FileAttributeTable().wrapForWrite(b, 0, 24);
        assertTrue(t.appendEntry(1, "abc".getBytes(StandardCharsets.US_ASCII), 1, 1) > 0);
        assertEquals(PldmCodec.INSUFFICIENT_CAPACITY, t.appendEntry(2, new byte[0], 1, 1));
        assertEquals(PldmCodec.INVALID_ARGUMENT, t.appendEntry(-1, new byte[0], 1, 1));
        assertEquals(24, t.finish());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    @Test
    void shouldComputeTheSameCrc32AsTheJdk() {
        Random rnd = new Random(42);
        for (int n = 0; n < 300; n++) {
            byte[] data = new byte[n];
            rnd.nextBytes(data);
            CRC32 jdk = new CRC32();
            jdk.update(data);
            ByteBuffer direct = ByteBuffer.allocateDirect(n + 3);
            direct.put(3, data);
            assertEquals(jdk.getValue(), Crc32.compute(direct, 3, n));
            int half = n / 2;
            assertEquals(jdk.getValue(), Crc32.update(Crc32.compute(direct, 3, half), direct, 3 + half, n - half));
        }
        assertEquals(0x4a868ffbL, Crc32.compute(wrap("00 f0 f0 f1"), 0, 4), "the vector's GetPLDMVersion CRC");
        assertThrows(IndexOutOfBoundsException.class, () -> Crc32.compute(ByteBuffer.allocate(4), 2, 3));
    }

    @Test
    void shouldEncodeVersionsAsBcdWithTheMajorInTheTopByte() {
        assertEquals(0xF1F0F000, Ver32.V1_0_0);
        assertEquals(0xF1F2F361, Ver32.of(1, 2, 3, 'a'));
        assertEquals("1.2.3a", Ver32.toString(Ver32.of(1, 2, 3, 'a')));
        assertEquals(0x12F3FF00, Ver32.of(12, 3, -1, 0));
        assertEquals("12.3", Ver32.toString(Ver32.of(12, 3, -1, 0)));
        assertThrows(IllegalArgumentException.class, () -> Ver32.of(100, 0, 0, 0));
        ByteBuffer b = ByteBuffer.allocate(8);
        new GetPldmCommandsRequest().wrap(b, 0, 8).encode(0, 0x3F, Ver32.V1_0_0);
        assertEquals("3f 00 f0 f0 f1", hex(b, 3, 5), "alpha first on the wire");
    }

    @Test
    void shouldNameCompletionCodesInTheContextOfTheirCommand() {
        assertEquals("INVALID_FILE_HANDLE", CompletionCodes.name(PldmTypes.OEM, 0x0B, 0x86));
        assertEquals("INVALID_FILE_IDENTIFIER", CompletionCodes.name(PldmTypes.FILE, 0x01, 0x86));
        assertEquals("ERROR_INVALID_LENGTH", CompletionCodes.name(PldmTypes.OEM, 0x0B, 0x03));
        assertEquals("0x99", CompletionCodes.name(PldmTypes.BASE, 0x02, 0x99));
        assertEquals("DUMP", IbmFileTypes.name(IbmFileTypes.DUMP));
        assertEquals("USER_PASSWORD_CHANGE", IbmFileTypes.name(0x19));
        assertEquals("0x1a", IbmFileTypes.name(0x1A));
    }

    @Test
    void shouldReadBackEveryFieldAfterEncodingAWriteFileByTypeInPlace() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        ReadWriteFileByTypeRequest r = new ReadWriteFileByTypeRequest().wrap(b, 2, 60);
        b.put(r.dataIndex(), new byte[] {1, 2, 3});
        assertEquals(20, r.encodeWriteFileByType(9, IbmFileTypes.PEL, 7, 0x100, 3));
        assertEquals(20, r.messageLength());
        assertEquals(CompletionCodes.SUCCESS, r.validate());
        assertEquals(9, r.instanceId());
        assertEquals(7, r.fileHandle());
        assertEquals(0x100, r.fileOffset());
        assertEquals(3, r.length());
        assertArrayEquals(new byte[] {1, 2, 3}, GoldenVectorTest.bytes(b, r.dataIndex(), 3));
    }
}
