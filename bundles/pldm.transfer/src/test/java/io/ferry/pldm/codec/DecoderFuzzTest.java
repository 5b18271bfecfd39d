package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and mutated messages — bit flips, truncations, extensions, length fields that lie,
 * headers swapped onto other commands' payloads, random bytes — into the decoder front door and
 * every response flyweight, with a fixed seed. Each message sits in a buffer whose limit ends
 * exactly at the message, so a read past it would throw. Nothing may throw, hang or answer with a
 * completion code outside the allowed set.
 */
class DecoderFuzzTest {
    static final long SEED = 0x5EED_0F_F3_22L;
    static final int REQUEST_ITERATIONS = 1_000_000;
    static final int RESPONSE_ITERATIONS = 300_000;

    static final Set<Integer> ALLOWED_REQUEST_CODES = Set.of(CompletionCodes.SUCCESS,
            CompletionCodes.ERROR_INVALID_DATA, CompletionCodes.ERROR_INVALID_LENGTH,
            CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD, CompletionCodes.ERROR_INVALID_PLDM_TYPE);
    static final Set<Integer> ALLOWED_VALIDATION_CODES = Set.of(CompletionCodes.SUCCESS,
            CompletionCodes.ERROR_INVALID_DATA, CompletionCodes.ERROR_INVALID_LENGTH);

    private static final List<byte[]> SEEDS = new ArrayList<>();
    private static final List<byte[]> REQUEST_SEEDS = new ArrayList<>();

    @BeforeAll
    static void loadSeeds() {
        for (GoldenVectors.Vector v : GoldenVectors.load()) {
            SEEDS.add(v.bytes());
            if (v.kind().equals("req")) {
                REQUEST_SEEDS.add(v.bytes());
            }
        }
        // a bare header for every command of the three decoded types, and a few other types
        for (int type : new int[] {PldmTypes.BASE, PldmTypes.FILE, PldmTypes.OEM, PldmTypes.PLATFORM, 0x3E}) {
            for (int command = 0; command < 0x40; command++) {
                SEEDS.add(new byte[] {(byte) 0x80, (byte) type, (byte) command});
            }
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldAnswerEveryMutatedRequestWithAnAllowedCompletionCodeAndNeverThrow() {
        Random rnd = new Random(SEED);
        PldmRequestDecoder decoder = new PldmRequestDecoder();
        ByteBuffer out = ByteBuffer.allocate(64);
        Map<Integer, Integer> byCode = new TreeMap<>();
        Map<PldmRequestKind, Integer> successes = new EnumMap<>(PldmRequestKind.class);
        Map<PldmRequestKind, Integer> seen = new EnumMap<>(PldmRequestKind.class);
        int iterations = 0;
        for (int i = 0; i < REQUEST_ITERATIONS; i++) {
            byte[] message = mutate(rnd, i % 4 == 0 ? pick(rnd, REQUEST_SEEDS) : pick(rnd, SEEDS));
            int offset = rnd.nextInt(9);
            ByteBuffer in = place(rnd, message, offset);
            final int iteration = i;
            int cc = decoder.decode(in, offset, message.length);
            assertTrue(ALLOWED_REQUEST_CODES.contains(cc), () -> "iteration " + iteration + ": code 0x"
                    + Integer.toHexString(cc) + " for " + hex(message));
            assertEquals(cc, decoder.completionCode());
            byCode.merge(cc, 1, Integer::sum);
            seen.merge(decoder.kind(), 1, Integer::sum);
            if (cc == CompletionCodes.SUCCESS) {
                assertNotSame(PldmRequestKind.NONE, decoder.kind());
                successes.merge(decoder.kind(), 1, Integer::sum);
                touch(decoder);
            }
            if (decoder.shouldRespond()) {
                int answer = cc == CompletionCodes.SUCCESS ? CompletionCodes.ERROR : cc;
                int n = decoder.encodeErrorResponse(out, 0, out.capacity(), answer);
                assertEquals(PldmHeader.LENGTH + ErrorResponses.errorPayloadLength(decoder.pldmType(), decoder.command()), n);
                assertTrue(PldmHeader.correlates(in, offset, out, 0));
                assertEquals(answer, out.get(PldmHeader.LENGTH) & 0xFF);
            }
            iterations++;
        }
        System.out.println("request fuzz: " + iterations + " iterations, seed 0x" + Long.toHexString(SEED)
                + ", by completion code " + byCode + ", successes by kind " + successes);
        assertEquals(REQUEST_ITERATIONS, iterations);
        for (int code : ALLOWED_REQUEST_CODES) {
            assertTrue(byCode.getOrDefault(code, 0) > 0, "the fuzzer never produced code 0x" + Integer.toHexString(code));
        }
        Set<PldmRequestKind> expected = EnumSet.allOf(PldmRequestKind.class);
        expected.remove(PldmRequestKind.NONE);
        assertEquals(expected, successes.keySet(), "every request kind decoded successfully at least once");
        assertTrue(seen.containsKey(PldmRequestKind.NONE));
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldValidateEveryMutatedResponseWithoutThrowing() {
        Random rnd = new Random(SEED ^ 0xA5A5);
        GetTidResponse getTid = new GetTidResponse();
        GetPldmTypesResponse getTypes = new GetPldmTypesResponse();
        GetPldmVersionResponse getVersion = new GetPldmVersionResponse();
        GetPldmCommandsResponse getCommands = new GetPldmCommandsResponse();
        NegotiateTransferParametersResponse negotiate = new NegotiateTransferParametersResponse();
        MultipartReceiveResponse multipart = new MultipartReceiveResponse();
        GetFileTableResponse fileTable = new GetFileTableResponse();
        FileAttributeTable table = new FileAttributeTable();
        FileLengthResponse fileLength = new FileLengthResponse();
        CcOnlyResponse ccOnly = new CcOnlyResponse();
        DfOpenResponse dfOpen = new DfOpenResponse();
        DfHeartbeatResponse dfHeartbeat = new DfHeartbeatResponse();
        int successes = 0;
        int iterations = 0;
        for (int i = 0; i < RESPONSE_ITERATIONS; i++) {
            byte[] message = mutate(rnd, pick(rnd, SEEDS));
            int offset = rnd.nextInt(9);
            ByteBuffer in = place(rnd, message, offset);
            int len = message.length;
            int[] codes = {
                getTid.wrap(in, offset, len).validate(),
                getTypes.wrap(in, offset, len).validate(),
                getVersion.wrap(in, offset, len).validate(),
                getCommands.wrap(in, offset, len).validate(),
                negotiate.wrap(in, offset, len).validate(),
                multipart.wrap(in, offset, len).validate(),
                fileTable.wrap(in, offset, len).validate(),
                fileLength.wrap(in, offset, len).validate(),
                ccOnly.wrap(in, offset, len).validate(),
                dfOpen.wrap(in, offset, len).validate(),
                dfHeartbeat.wrap(in, offset, len).validate(),
                table.wrap(in, offset, len).validate(),
            };
            for (int code : codes) {
                final int iteration = i;
                assertTrue(ALLOWED_VALIDATION_CODES.contains(code), () -> "iteration " + iteration + ": code 0x"
                        + Integer.toHexString(code) + " for " + hex(message));
                if (code == CompletionCodes.SUCCESS) {
                    successes++;
                }
            }
            // read every field of whatever validated
            if (codes[2] == CompletionCodes.SUCCESS && getVersion.completionCode() == 0) {
                getVersion.crcMatches();
                for (int v = 0; v < getVersion.versionCount(); v++) {
                    getVersion.version(v);
                }
            }
            if (codes[3] == CompletionCodes.SUCCESS && getCommands.completionCode() == 0) {
                getCommands.supportsCommand(255);
            }
            if (codes[5] == CompletionCodes.SUCCESS && multipart.completionCode() == 0) {
                multipart.checksumMatches();
            }
            if (codes[6] == CompletionCodes.SUCCESS && fileTable.completionCode() == 0) {
                FileAttributeTable t = fileTable.table(table);
                t.validate();
                for (int e = t.firstEntry(); e >= 0; e = t.nextEntry(e)) {
                    t.entryName(e);
                    t.entrySize(e);
                    t.entryTraits(e);
                }
            }
            if (codes[11] == CompletionCodes.SUCCESS) {
                table.wrap(in, offset, len).findEntry(0x11223344L);
            }
            if (codes[7] == CompletionCodes.SUCCESS && fileLength.completionCode() == 0) {
                fileLength.length();
            }
            // walking a table that failed validation must stay in bounds too
            table.wrap(in, offset, len).entryCount();
            iterations++;
        }
        System.out.println("response fuzz: " + iterations + " iterations x 12 validators, " + successes + " valid");
        assertEquals(RESPONSE_ITERATIONS, iterations);
        assertTrue(successes > 0);
    }

    // ---- the mutation engine -----------------------------------------------------------------------

    static byte[] mutate(Random rnd, byte[] seed) {
        int how = rnd.nextInt(9);
        switch (how) {
            case 0:
                return randomBytes(rnd, rnd.nextInt(48));
            case 1:
                return flipBits(rnd, seed);
            case 2:
                return java.util.Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
            case 3:
                return extend(rnd, seed);
            case 4:
                return lieAboutLength(rnd, seed);
            case 5:
                return otherHeader(rnd, seed);
            case 6:
                return replaceBytes(rnd, seed);
            case 7:
                return mutate(rnd, mutate(rnd, seed));
            default:
                return seed.clone(); // the unmodified vector keeps the success paths busy
        }
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        if (n > 0 && rnd.nextBoolean()) {
            b[0] = (byte) (b[0] | PldmHeader.REQUEST_BIT);
        }
        if (n > 1 && rnd.nextBoolean()) {
            b[1] = (byte) new int[] {PldmTypes.BASE, PldmTypes.FILE, PldmTypes.OEM}[rnd.nextInt(3)];
        }
        return b;
    }

    private static byte[] flipBits(Random rnd, byte[] seed) {
        byte[] b = seed.clone();
        if (b.length == 0) {
            return b;
        }
        int flips = 1 + rnd.nextInt(4);
        for (int k = 0; k < flips; k++) {
            int bit = rnd.nextInt(b.length * 8);
            b[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return b;
    }

    private static byte[] extend(Random rnd, byte[] seed) {
        byte[] tail = randomBytes(rnd, 1 + rnd.nextInt(32));
        byte[] b = java.util.Arrays.copyOf(seed, seed.length + tail.length);
        System.arraycopy(tail, 0, b, seed.length, tail.length);
        return b;
    }

    /** Overwrites a u16 or u32 somewhere in the payload with a boundary value or the real length +- 1. */
    private static byte[] lieAboutLength(Random rnd, byte[] seed) {
        byte[] b = seed.clone();
        if (b.length < PldmHeader.LENGTH + 2) {
            return b;
        }
        int payload = b.length - PldmHeader.LENGTH;
        long[] values = {0, 1, payload - 1, payload, payload + 1, 0xFF, 0xFFFF, 0x7FFF_FFFFL, 0xFFFF_FFFFL,
            0x8000_0000L, rnd.nextInt() & 0xFFFF_FFFFL};
        long value = values[rnd.nextInt(values.length)];
        boolean wide = rnd.nextBoolean() && b.length >= PldmHeader.LENGTH + 4;
        int width = wide ? 4 : 2;
        int at = PldmHeader.LENGTH + rnd.nextInt(b.length - PldmHeader.LENGTH - width + 1);
        for (int k = 0; k < width; k++) {
            b[at + k] = (byte) (value >>> (8 * k));
        }
        return b;
    }

    private static byte[] otherHeader(Random rnd, byte[] seed) {
        byte[] b = seed.length >= PldmHeader.LENGTH ? seed.clone() : java.util.Arrays.copyOf(seed, PldmHeader.LENGTH);
        b[0] = (byte) ((rnd.nextInt(4) == 0 ? rnd.nextInt(256) : PldmHeader.REQUEST_BIT) | rnd.nextInt(32));
        int[] types = {PldmTypes.BASE, PldmTypes.FILE, PldmTypes.OEM, rnd.nextInt(256)};
        b[1] = (byte) types[rnd.nextInt(types.length)];
        b[2] = (byte) (rnd.nextBoolean() ? rnd.nextInt(0x12) : rnd.nextInt(256));
        return b;
    }

    private static byte[] replaceBytes(Random rnd, byte[] seed) {
        byte[] b = seed.clone();
        if (b.length == 0) {
            return b;
        }
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    /** The message at {@code offset} behind garbage; the limit ends exactly at the message. Heap, direct or read-only. */
    private static ByteBuffer place(Random rnd, byte[] message, int offset) {
        int size = offset + message.length;
        ByteBuffer b = rnd.nextInt(3) == 0 ? ByteBuffer.allocateDirect(Math.max(size, 1)) : ByteBuffer.allocate(size);
        for (int k = 0; k < offset; k++) {
            b.put(k, (byte) rnd.nextInt(256));
        }
        b.put(offset, message);
        b.limit(size);
        return rnd.nextBoolean() ? b.asReadOnlyBuffer() : b;
    }

    private static byte[] pick(Random rnd, List<byte[]> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    /** Reads every field of the decoded request, which must stay within the message. */
    static void touch(PldmRequestDecoder d) {
        switch (d.kind()) {
            case GET_TID:
            case GET_PLDM_TYPES:
                d.emptyRequest().payloadLength();
                break;
            case GET_PLDM_VERSION:
                d.getPldmVersionRequest().transferHandle();
                d.getPldmVersionRequest().transferOperationFlag();
                d.getPldmVersionRequest().type();
                break;
            case GET_PLDM_COMMANDS:
                d.getPldmCommandsRequest().type();
                d.getPldmCommandsRequest().version();
                break;
            case NEGOTIATE_TRANSFER_PARAMETERS:
                d.negotiateTransferParametersRequest().requesterPartSize();
                d.negotiateTransferParametersRequest().requesterProtocolSupport();
                break;
            case MULTIPART_RECEIVE: {
                MultipartReceiveRequest r = d.multipartReceiveRequest();
                r.requestedPldmType();
                r.transferContext();
                r.transferHandle();
                r.sectionOffset();
                r.sectionLength();
                break;
            }
            case GET_FILE_TABLE:
                d.getFileTableRequest().transferHandle();
                d.getFileTableRequest().tableType();
                break;
            case READ_FILE:
            case WRITE_FILE: {
                ReadWriteFileRequest r = d.readWriteFileRequest();
                r.fileHandle();
                r.fileOffset();
                long n = r.length();
                if (d.kind() == PldmRequestKind.WRITE_FILE && n > 0) {
                    r.buffer().get((int) (r.dataIndex() + n - 1));
                }
                break;
            }
            case READ_FILE_INTO_MEMORY:
            case WRITE_FILE_FROM_MEMORY:
                d.readWriteFileMemoryRequest().address();
                d.readWriteFileMemoryRequest().length();
                break;
            case READ_FILE_BY_TYPE_INTO_MEMORY:
            case WRITE_FILE_BY_TYPE_FROM_MEMORY:
                d.readWriteFileByTypeMemoryRequest().address();
                d.readWriteFileByTypeMemoryRequest().fileType();
                break;
            case NEW_FILE_AVAILABLE:
            case NEW_FILE_AVAILABLE_WITH_META_DATA: {
                NewFileAvailableRequest r = d.newFileAvailableRequest();
                r.length();
                if (r.hasMetaData()) {
                    r.metaData(3);
                }
                break;
            }
            case READ_FILE_BY_TYPE:
            case WRITE_FILE_BY_TYPE: {
                ReadWriteFileByTypeRequest r = d.readWriteFileByTypeRequest();
                r.fileType();
                long n = r.length();
                if (d.kind() == PldmRequestKind.WRITE_FILE_BY_TYPE && n > 0) {
                    r.buffer().get((int) (r.dataIndex() + n - 1));
                }
                break;
            }
            case FILE_ACK:
            case FILE_ACK_WITH_META_DATA: {
                FileAckRequest r = d.fileAckRequest();
                r.fileStatus();
                if (r.hasMetaData()) {
                    r.metaData(3);
                }
                break;
            }
            case DF_OPEN:
                d.dfOpenRequest().attributes();
                break;
            case DF_CLOSE:
                d.dfCloseRequest().options();
                break;
            case DF_HEARTBEAT:
                d.dfHeartbeatRequest().requesterMaxInterval();
                break;
            default:
                throw new AssertionError("SUCCESS without a kind");
        }
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
