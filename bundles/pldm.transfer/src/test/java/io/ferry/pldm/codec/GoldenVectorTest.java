package io.ferry.pldm.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ferry.pldm.codec.GoldenVectors.Vector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every line of the libpldm golden vectors, both ways: encoded from the fields the line lists and
 * compared byte for byte with the line's hex, and decoded from that hex and compared field by
 * field. Requests are decoded through {@link PldmRequestDecoder} (the responder's front door),
 * responses through their flyweights. Each line's fields are parsed from its text; irregular field
 * syntax is handled per command below, and a line of an unknown command fails the test rather than
 * being skipped. The counts per file are asserted after the run.
 */
class GoldenVectorTest {
    /** Vector lines per file in shared/vectors/pldm (libpldm 0.17.0-12-g84ef0f40e). */
    static final Map<String, Integer> EXPECTED = Map.of("base.tsv", 36, "file-transfer.tsv", 16, "ibm-file-io.tsv", 44);

    private static final Map<String, AtomicInteger> ENCODED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> DECODED = new ConcurrentHashMap<>();
    private static final int OUT_OFFSET = 7;
    private static final int IN_OFFSET = 5;

    private final PldmRequestDecoder decoder = new PldmRequestDecoder();
    private ByteBuffer out;

    static Stream<Arguments> vectors() {
        return GoldenVectors.load().stream().map(v -> Arguments.of(Named.of(v.label(), v)));
    }

    @AfterAll
    static void shouldHaveEncodedAndDecodedEveryVectorOfEveryFile() {
        Map<String, String> report = new TreeMap<>();
        for (String file : GoldenVectors.FILES) {
            report.put(file, "encoded " + count(ENCODED, file) + ", decoded " + count(DECODED, file));
        }
        System.out.println("golden vectors from " + GoldenVectors.source() + ": " + report);
        int ran = ENCODED.values().stream().mapToInt(AtomicInteger::get).sum()
                + DECODED.values().stream().mapToInt(AtomicInteger::get).sum();
        if (ran == 0) {
            return; // the parameterized test was filtered out (-Dtest=...); nothing to count
        }
        for (String file : GoldenVectors.FILES) {
            assertEquals(EXPECTED.get(file), count(ENCODED, file), "vectors encoded from " + file);
            assertEquals(EXPECTED.get(file), count(DECODED, file), "vectors decoded from " + file);
        }
    }

    private static int count(Map<String, AtomicInteger> counts, String file) {
        AtomicInteger c = counts.get(file);
        return c == null ? 0 : c.get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void shouldEncodeAndDecodeByteForByte(Vector v) {
        VectorFields f = new VectorFields(v.text());
        out = ByteBuffer.allocate(512);
        for (int i = 0; i < out.capacity(); i++) {
            out.put(i, (byte) 0xA5); // garbage: padding must be written, not inherited
        }
        switch (v.name() + "." + v.kind()) {
            // ---------------- base.tsv ----------------
            case "GetTID.req": {
                assertEncoded(v, new EmptyRequest().wrap(out, OUT_OFFSET, 64).encodeGetTid(f.iid()));
                decodeRequest(v, f, PldmRequestKind.GET_TID);
                assertEquals(0, decoder.emptyRequest().payloadLength());
                decoded(v);
                break;
            }
            case "GetTID.resp": {
                assertEncoded(v, new GetTidResponse().wrap(out, OUT_OFFSET, 64).encode(f.iid(), f.cc(), f.i("tid")));
                GetTidResponse r = new GetTidResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(f.i("tid"), r.tid());
                decoded(v);
                break;
            }
            case "GetPLDMTypes.req": {
                assertEncoded(v, new EmptyRequest().wrap(out, OUT_OFFSET, 64).encodeGetPldmTypes(f.iid()));
                decodeRequest(v, f, PldmRequestKind.GET_PLDM_TYPES);
                decoded(v);
                break;
            }
            case "GetPLDMTypes.resp": {
                long bits = ByteBuffer.wrap(f.bytesAfter("bitfield8[8]=", 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                BitSet types = f.setAfter("types=");
                assertEquals(bits, types.toLongArray()[0], "types set and bitfield agree");
                assertEncoded(v, new GetPldmTypesResponse().wrap(out, OUT_OFFSET, 64).encode(f.iid(), f.cc(), bits));
                GetPldmTypesResponse r = new GetPldmTypesResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(bits, r.types());
                for (int t = 0; t < 64; t++) {
                    assertEquals(types.get(t), r.supportsType(t), "type " + t);
                }
                decoded(v);
                break;
            }
            case "GetPLDMVersion.req": {
                assertEncoded(v, new GetPldmVersionRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.num("transfer_handle"), f.i("op"), f.i("type")));
                assertEquals("GetFirstPart", f.symbol("op"));
                assertEquals(TransferFlags.GET_FIRST_PART, f.i("op"));
                decodeRequest(v, f, PldmRequestKind.GET_PLDM_VERSION);
                GetPldmVersionRequest r = decoder.getPldmVersionRequest();
                assertEquals(f.num("transfer_handle"), r.transferHandle());
                assertEquals(f.i("op"), r.transferOperationFlag());
                assertEquals(f.i("type"), r.type());
                decoded(v);
                break;
            }
            case "GetPLDMVersion.resp":
            case "GetPLDMVersion.resp.crc": {
                boolean withCrc = v.kind().equals("resp.crc");
                int version = f.version();
                assertEquals(Ver32.V1_0_0, version);
                if (f.has("major")) {
                    assertEquals(f.hexByte("major"), Ver32.major(version));
                    assertEquals(f.hexByte("minor"), Ver32.minor(version));
                    assertEquals(f.hexByte("update"), Ver32.update(version));
                    assertEquals(f.hexByte("alpha"), Ver32.alpha(version));
                }
                assertEquals("StartAndEnd", f.symbol("flag"));
                assertEncoded(v, new GetPldmVersionResponse().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.cc(), f.num("next_handle"), f.i("flag"), version, withCrc));
                GetPldmVersionResponse r = new GetPldmVersionResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(f.num("next_handle"), r.nextTransferHandle());
                assertEquals(f.i("flag"), r.transferFlag());
                assertEquals(1, r.versionCount());
                assertEquals(version, r.version());
                assertEquals("1.0.0", Ver32.toString(r.version()));
                assertEquals(withCrc, r.hasCrc());
                if (withCrc) {
                    long crc = VectorFields.parseNumber(f.text.substring(
                            f.text.indexOf("CRC32(version bytes)=") + "CRC32(version bytes)=".length()).split("\\s+")[0]);
                    assertEquals(crc, r.crc());
                    assertTrue(r.crcMatches());
                } else {
                    assertTrue(f.text.contains("NO CRC32"));
                    assertFalse(r.crcMatches());
                }
                decoded(v);
                break;
            }
            case "GetPLDMVersion.resp.err": {
                assertEquals("INVALID_PLDM_TYPE_IN_REQUEST_DATA", f.symbol("cc"));
                assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.BASE, BaseCommands.GET_PLDM_VERSION, f.cc()));
                assertEncoded(v, new GetPldmVersionResponse().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.cc(), 0, 0, 0, false));
                assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.BASE, BaseCommands.GET_PLDM_VERSION);
                GetPldmVersionResponse r = new GetPldmVersionResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                decoded(v);
                break;
            }
            case "GetPLDMCommands.req": {
                assertEncoded(v, new GetPldmCommandsRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("type"), f.version()));
                decodeRequest(v, f, PldmRequestKind.GET_PLDM_COMMANDS);
                GetPldmCommandsRequest r = decoder.getPldmCommandsRequest();
                assertEquals(f.i("type"), r.type());
                assertEquals(f.version(), r.version());
                decoded(v);
                break;
            }
            case "GetPLDMCommands.resp": {
                byte[] bitfield = f.bytesAfter("bitfield8[32]=", 32);
                BitSet commands = f.setAfter("commands=");
                assertArrayEquals(bitfield, java.util.Arrays.copyOf(commands.toByteArray(), 32), "commands set and bitfield agree");
                long[] words = java.util.Arrays.copyOf(commands.toLongArray(), 4);
                assertEncoded(v, new GetPldmCommandsResponse().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.cc(), words[0], words[1], words[2], words[3]));
                GetPldmCommandsResponse r = new GetPldmCommandsResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                for (int c = 0; c < 256; c++) {
                    assertEquals(commands.get(c), r.supportsCommand(c), "command " + c);
                }
                for (int w = 0; w < 4; w++) {
                    assertEquals(words[w], r.commandWord(w));
                }
                decoded(v);
                break;
            }
            case "GetPLDMCommands.resp.err": {
                assertEquals("INVALID_PLDM_VERSION_IN_REQUEST_DATA", f.symbol("cc"));
                assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.BASE, BaseCommands.GET_PLDM_COMMANDS, f.cc()));
                assertEncoded(v, new GetPldmCommandsResponse().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.cc(), 0, 0, 0, 0));
                assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.BASE, BaseCommands.GET_PLDM_COMMANDS);
                GetPldmCommandsResponse r = new GetPldmCommandsResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                decoded(v);
                break;
            }

            // ---------------- file-transfer.tsv ----------------
            case "NegotiateTransferParameters.req": {
                long bits = le64(f.bytesAfter("protocol_support bitfield8[8]=", 8));
                assertEncoded(v, new NegotiateTransferParametersRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("requester_part_size"), bits));
                decodeRequest(v, f, PldmRequestKind.NEGOTIATE_TRANSFER_PARAMETERS);
                NegotiateTransferParametersRequest r = decoder.negotiateTransferParametersRequest();
                assertEquals(f.i("requester_part_size"), r.requesterPartSize());
                assertEquals(bits, r.requesterProtocolSupport());
                assertEquals(1L << PldmTypes.FILE, r.requesterProtocolSupport(), "(type 0x07)");
                decoded(v);
                break;
            }
            case "NegotiateTransferParameters.resp": {
                // the response line writes the bitfield as "protocol_support=80 00 ..." (no bitfield8[8])
                long bits = le64(f.bytesAfter("protocol_support=", 8));
                assertEncoded(v, new NegotiateTransferParametersResponse().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.cc(), f.i("responder_part_size"), bits));
                NegotiateTransferParametersResponse r =
                        new NegotiateTransferParametersResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(f.i("responder_part_size"), r.responderPartSize());
                assertEquals(bits, r.responderProtocolSupport());
                decoded(v);
                break;
            }
            case "DfOpen.req": {
                assertEncoded(v, new DfOpenRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("file_identifier"), f.i("df_open_attribute")));
                decodeRequest(v, f, PldmRequestKind.DF_OPEN);
                assertEquals(f.i("file_identifier"), decoder.dfOpenRequest().fileIdentifier());
                assertEquals(f.i("df_open_attribute"), decoder.dfOpenRequest().attributes());
                decoded(v);
                break;
            }
            case "DfOpen.resp":
            case "DfOpen.resp.err": {
                int fd = f.has("file_descriptor") ? f.i("file_descriptor") : 0;
                if (v.kind().equals("resp.err")) {
                    assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.FILE, FileTransferCommands.DF_OPEN, f.cc()));
                    assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.FILE, FileTransferCommands.DF_OPEN);
                }
                assertEncoded(v, new DfOpenResponse().wrap(out, OUT_OFFSET, 64).encode(f.iid(), f.cc(), fd));
                DfOpenResponse r = new DfOpenResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                if (f.cc() == CompletionCodes.SUCCESS) {
                    assertEquals(fd, r.fileDescriptor());
                }
                decoded(v);
                break;
            }
            case "DfHeartbeat.req": {
                assertEncoded(v, new DfHeartbeatRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("file_descriptor"), f.num("requester_max_interval")));
                decodeRequest(v, f, PldmRequestKind.DF_HEARTBEAT);
                assertEquals(f.i("file_descriptor"), decoder.dfHeartbeatRequest().fileDescriptor());
                assertEquals(f.num("requester_max_interval"), decoder.dfHeartbeatRequest().requesterMaxInterval());
                decoded(v);
                break;
            }
            case "DfHeartbeat.resp":
            case "DfHeartbeat.resp.err": {
                long interval = f.has("responder_max_interval") ? f.num("responder_max_interval") : 0;
                if (v.kind().equals("resp.err")) {
                    assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.FILE, FileTransferCommands.DF_HEARTBEAT, f.cc()));
                    assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.FILE, FileTransferCommands.DF_HEARTBEAT);
                }
                assertEncoded(v, new DfHeartbeatResponse().wrap(out, OUT_OFFSET, 64).encode(f.iid(), f.cc(), interval));
                DfHeartbeatResponse r = new DfHeartbeatResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                if (f.cc() == CompletionCodes.SUCCESS) {
                    assertEquals(interval, r.responderMaxInterval());
                }
                decoded(v);
                break;
            }
            case "DfClose.req": {
                assertEncoded(v, new DfCloseRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("file_descriptor"), f.i("df_close_options")));
                decodeRequest(v, f, PldmRequestKind.DF_CLOSE);
                assertEquals(f.i("file_descriptor"), decoder.dfCloseRequest().fileDescriptor());
                assertEquals(f.i("df_close_options"), decoder.dfCloseRequest().options());
                decoded(v);
                break;
            }
            case "DfClose.resp":
            case "DfClose.resp.err": {
                if (v.kind().equals("resp.err")) {
                    assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.FILE, FileTransferCommands.DF_CLOSE, f.cc()));
                    assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.FILE, FileTransferCommands.DF_CLOSE);
                }
                assertCcOnly(v, f, PldmTypes.FILE, FileTransferCommands.DF_CLOSE);
                break;
            }
            case "MultipartReceive.req": {
                assertEquals(Map.of("XFER_FIRST_PART", TransferFlags.XFER_FIRST_PART, "XFER_NEXT_PART",
                        TransferFlags.XFER_NEXT_PART, "XFER_COMPLETE", TransferFlags.XFER_COMPLETE).get(f.symbol("op")),
                        f.i("op"), "operation name and value agree");
                assertEncoded(v, new MultipartReceiveRequest().wrap(out, OUT_OFFSET, 64).encode(f.iid(), f.i("pldm_type"),
                        f.i("op"), f.num("transfer_context"), f.num("transfer_handle"), f.num("section_offset"),
                        f.num("section_length")));
                decodeRequest(v, f, PldmRequestKind.MULTIPART_RECEIVE);
                MultipartReceiveRequest r = decoder.multipartReceiveRequest();
                assertEquals(f.i("pldm_type"), r.requestedPldmType());
                assertEquals(PldmTypes.FILE, r.requestedPldmType());
                assertEquals(f.i("op"), r.transferOperation());
                assertEquals(f.num("transfer_context"), r.transferContext());
                assertEquals(f.num("transfer_handle"), r.transferHandle());
                assertEquals(f.num("section_offset"), r.sectionOffset());
                assertEquals(f.num("section_length"), r.sectionLength());
                decoded(v);
                break;
            }
            case "MultipartReceive.resp": {
                int length = f.i("data_length");
                byte[] data = f.data(length);
                assertEquals("START_AND_END", f.symbol("transfer_flag"));
                assertEquals(TransferFlags.START_AND_END, f.i("transfer_flag"));
                MultipartReceiveResponse enc = new MultipartReceiveResponse().wrap(out, OUT_OFFSET, 256);
                assertEncoded(v, enc.encode(f.iid(), f.i("transfer_flag"), f.num("next_handle"), ByteBuffer.wrap(data), 0, length));
                MultipartReceiveResponse r = new MultipartReceiveResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(f.i("transfer_flag"), r.transferFlag());
                assertEquals(f.num("next_handle"), r.nextTransferHandle());
                assertEquals(length, r.dataLength());
                assertArrayEquals(data, bytes(r.buffer(), r.dataIndex(), length));
                assertTrue(r.hasChecksum());
                assertEquals(f.num("crc32(data)"), r.checksum());
                assertTrue(r.checksumMatches());
                decoded(v);
                break;
            }
            case "MultipartReceive.resp.err": {
                assertEquals("ERROR_INVALID_TRANSFER_CONTEXT", f.symbol("cc"));
                assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.BASE, BaseCommands.MULTIPART_RECEIVE, f.cc()));
                assertEncoded(v, new MultipartReceiveResponse().wrap(out, OUT_OFFSET, 64).encodeError(f.iid(), f.cc()));
                assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.BASE, BaseCommands.MULTIPART_RECEIVE);
                MultipartReceiveResponse r = new MultipartReceiveResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                decoded(v);
                break;
            }

            // ---------------- ibm-file-io.tsv ----------------
            case "GetFileTable.req": {
                assertEquals("FileAttributeTable", f.symbol("table_type"));
                assertEncoded(v, new GetFileTableRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.num("transfer_handle"), f.i("op"), f.i("table_type")));
                decodeRequest(v, f, PldmRequestKind.GET_FILE_TABLE);
                GetFileTableRequest r = decoder.getFileTableRequest();
                assertEquals(f.num("transfer_handle"), r.transferHandle());
                assertEquals(f.i("op"), r.transferOperationFlag());
                assertEquals(f.i("table_type"), r.tableType());
                assertEquals(CompletionCodes.SUCCESS, FileIoChecks.checkFileTableType(r.tableType()));
                decoded(v);
                break;
            }
            case "GetFileTable.resp": {
                VectorFields.TableSpec spec = f.table();
                GetFileTableResponse enc = new GetFileTableResponse().wrap(out, OUT_OFFSET, 256);
                FileAttributeTable writer = new FileAttributeTable()
                        .wrapForWrite(out, enc.tableIndex(), 256 - GetFileTableResponse.TABLE_OFFSET - 3);
                for (Map<String, String> e : spec.entries()) {
                    byte[] name = unquote(e.get("name")).getBytes(StandardCharsets.US_ASCII);
                    assertEquals(VectorFields.parseNumber(e.get("name_len")), name.length);
                    assertTrue(writer.appendEntry(VectorFields.parseNumber(e.get("handle")), name,
                            VectorFields.parseNumber(e.get("file_size")), VectorFields.parseNumber(e.get("traits"))) > 0);
                }
                int tableLength = writer.finish();
                assertEquals(spec.tableBytes(), tableLength);
                assertEquals(spec.crc(), writer.crc());
                assertEncoded(v, enc.encodeInPlace(f.iid(), f.num("next_handle"), f.i("flag"), tableLength));

                GetFileTableResponse r = new GetFileTableResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(f.num("next_handle"), r.nextTransferHandle());
                assertEquals(f.i("flag"), r.transferFlag());
                assertEquals(spec.tableBytes(), r.tableLength());
                FileAttributeTable table = r.table(new FileAttributeTable());
                assertEquals(CompletionCodes.SUCCESS, table.validate());
                assertEquals(spec.crc(), table.crc());
                assertEquals(spec.entries().size(), table.entryCount());
                int entry = table.firstEntry();
                for (Map<String, String> e : spec.entries()) {
                    assertTrue(entry >= 0);
                    assertEquals(VectorFields.parseNumber(e.get("handle")), table.entryHandle(entry));
                    assertEquals(VectorFields.parseNumber(e.get("name_len")), table.entryNameLength(entry));
                    assertEquals(unquote(e.get("name")), table.entryName(entry));
                    assertEquals(VectorFields.parseNumber(e.get("file_size")), table.entrySize(entry));
                    assertEquals(VectorFields.parseNumber(e.get("traits")), table.entryTraits(entry));
                    assertEquals(entry, table.findEntry(table.entryHandle(entry)));
                    entry = table.nextEntry(entry);
                }
                assertEquals(-1, entry);
                int entryBytes = table.dataLength() - spec.pad();
                for (int p = 0; p < spec.pad(); p++) {
                    assertEquals(0, r.buffer().get(table.index() + entryBytes + p), "pad byte " + p);
                }
                decoded(v);
                break;
            }
            case "GetFileTable.resp.err": {
                assertEquals("INVALID_FILE_TABLE_TYPE", f.symbol("cc"));
                assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.OEM, IbmFileIoCommands.GET_FILE_TABLE, f.cc()));
                assertEquals(f.cc(), FileIoChecks.checkFileTableType(IbmFileIoCommands.OEM_FILE_ATTRIBUTE_TABLE));
                assertEncoded(v, new GetFileTableResponse().wrap(out, OUT_OFFSET, 64).encodeError(f.iid(), f.cc()));
                assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.OEM, IbmFileIoCommands.GET_FILE_TABLE);
                GetFileTableResponse r = new GetFileTableResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(GetFileTableResponse.FIXED_LENGTH, r.payloadLength());
                decoded(v);
                break;
            }
            case "ReadFile.req": {
                assertEncoded(v, new ReadWriteFileRequest().wrap(out, OUT_OFFSET, 64)
                        .encodeReadFile(f.iid(), f.num("handle"), f.num("offset"), f.num("length")));
                decodeRequest(v, f, PldmRequestKind.READ_FILE);
                ReadWriteFileRequest r = decoder.readWriteFileRequest();
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("offset"), r.fileOffset());
                assertEquals(f.num("length"), r.length());
                decoded(v);
                break;
            }
            case "WriteFile.req": {
                int length = f.i("length");
                byte[] data = f.data(length);
                assertEncoded(v, new ReadWriteFileRequest().wrap(out, OUT_OFFSET, 256)
                        .encodeWriteFile(f.iid(), f.num("handle"), f.num("offset"), ByteBuffer.wrap(data), 0, length));
                decodeRequest(v, f, PldmRequestKind.WRITE_FILE);
                ReadWriteFileRequest r = decoder.readWriteFileRequest();
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("offset"), r.fileOffset());
                assertEquals(length, r.length());
                assertArrayEquals(data, bytes(r.buffer(), r.dataIndex(), length));
                decoded(v);
                break;
            }
            case "ReadFileIntoMemory.req":
            case "WriteFileFromMemory.req": {
                int command = v.name().equals("ReadFileIntoMemory")
                        ? IbmFileIoCommands.READ_FILE_INTO_MEMORY : IbmFileIoCommands.WRITE_FILE_FROM_MEMORY;
                assertEncoded(v, new ReadWriteFileMemoryRequest().wrap(out, OUT_OFFSET, 64).encode(f.iid(), command,
                        f.num("handle"), f.num("offset"), f.num("length"), f.num("address")));
                decodeRequest(v, f, command == IbmFileIoCommands.READ_FILE_INTO_MEMORY
                        ? PldmRequestKind.READ_FILE_INTO_MEMORY : PldmRequestKind.WRITE_FILE_FROM_MEMORY);
                ReadWriteFileMemoryRequest r = decoder.readWriteFileMemoryRequest();
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("offset"), r.fileOffset());
                assertEquals(f.num("length"), r.length());
                assertEquals(f.num("address"), r.address());
                decoded(v);
                break;
            }
            case "ReadFileByTypeIntoMemory.req":
            case "WriteFileByTypeFromMemory.req": {
                int command = v.name().equals("ReadFileByTypeIntoMemory")
                        ? IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY : IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY;
                assertFileTypeName(f);
                assertEncoded(v, new ReadWriteFileByTypeMemoryRequest().wrap(out, OUT_OFFSET, 64).encode(f.iid(), command,
                        f.i("type"), f.num("handle"), f.num("offset"), f.num("length"), f.num("address")));
                decodeRequest(v, f, command == IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY
                        ? PldmRequestKind.READ_FILE_BY_TYPE_INTO_MEMORY : PldmRequestKind.WRITE_FILE_BY_TYPE_FROM_MEMORY);
                ReadWriteFileByTypeMemoryRequest r = decoder.readWriteFileByTypeMemoryRequest();
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("offset"), r.fileOffset());
                assertEquals(f.num("length"), r.length());
                assertEquals(f.num("address"), r.address());
                decoded(v);
                break;
            }
            case "ReadFile.resp":
            case "WriteFile.resp":
            case "ReadFileIntoMemory.resp":
            case "WriteFileFromMemory.resp":
            case "ReadFileByTypeIntoMemory.resp":
            case "WriteFileByTypeFromMemory.resp":
            case "ReadFileByType.resp":
            case "WriteFileByType.resp":
            case "ReadFile.resp.err":
            case "WriteFile.resp.err":
            case "ReadFileIntoMemory.resp.err":
            case "WriteFileFromMemory.resp.err":
            case "ReadFileByTypeIntoMemory.resp.err":
            case "WriteFileByTypeFromMemory.resp.err":
            case "ReadFileByType.resp.err":
            case "WriteFileByType.resp.err": {
                int command = ibmCommand(v.name());
                boolean error = v.kind().equals("resp.err");
                long length = error ? 0 : f.num("length");
                FileLengthResponse enc = new FileLengthResponse().wrap(out, OUT_OFFSET, 256);
                if (error) {
                    assertTrue(f.text.contains("length-field left 0") || f.text.contains("rest zero"), f.text);
                    assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.OEM, command, f.cc()));
                    assertEncoded(v, enc.encode(f.iid(), command, f.cc(), 0));
                    assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.OEM, command);
                } else if (FileLengthResponse.carriesData(command)) {
                    byte[] data = f.data((int) length);
                    assertEncoded(v, enc.encodeWithData(f.iid(), command, ByteBuffer.wrap(data), 0, (int) length));
                } else {
                    assertEncoded(v, enc.encode(f.iid(), command, f.cc(), length));
                }
                FileLengthResponse r = new FileLengthResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
                assertResponse(v, f, r.validate(), r, r.completionCode());
                assertEquals(length, r.length());
                assertEquals(FileLengthResponse.FIXED_LENGTH
                        + (!error && FileLengthResponse.carriesData(command) ? length : 0), r.payloadLength());
                if (!error && FileLengthResponse.carriesData(command)) {
                    assertArrayEquals(f.data((int) length), bytes(r.buffer(), r.dataIndex(), (int) length));
                }
                decoded(v);
                break;
            }
            case "NewFileAvailable.req": {
                assertFileTypeName(f);
                assertEncoded(v, new NewFileAvailableRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("type"), f.num("handle"), f.num("length(u64)")));
                decodeRequest(v, f, PldmRequestKind.NEW_FILE_AVAILABLE);
                NewFileAvailableRequest r = decoder.newFileAvailableRequest();
                assertFalse(r.hasMetaData());
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("length(u64)"), r.length());
                decoded(v);
                break;
            }
            case "NewFileAvailableWithMetaData.req": {
                assertFileTypeName(f);
                assertEncoded(v, new NewFileAvailableRequest().wrap(out, OUT_OFFSET, 64).encodeWithMetaData(f.iid(),
                        f.i("type"), f.num("handle"), f.num("length(u64)"), f.num("meta1"), f.num("meta2"),
                        f.num("meta3"), f.num("meta4")));
                decodeRequest(v, f, PldmRequestKind.NEW_FILE_AVAILABLE_WITH_META_DATA);
                NewFileAvailableRequest r = decoder.newFileAvailableRequest();
                assertTrue(r.hasMetaData());
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("length(u64)"), r.length());
                for (int m = 0; m < NewFileAvailableRequest.META_DATA_COUNT; m++) {
                    assertEquals(f.num("meta" + (m + 1)), r.metaData(m));
                }
                decoded(v);
                break;
            }
            case "ReadFileByType.req": {
                assertFileTypeName(f);
                assertEncoded(v, new ReadWriteFileByTypeRequest().wrap(out, OUT_OFFSET, 64).encodeReadFileByType(f.iid(),
                        f.i("type"), f.num("handle"), f.num("offset"), f.num("length")));
                decodeRequest(v, f, PldmRequestKind.READ_FILE_BY_TYPE);
                ReadWriteFileByTypeRequest r = decoder.readWriteFileByTypeRequest();
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("offset"), r.fileOffset());
                assertEquals(f.num("length"), r.length());
                decoded(v);
                break;
            }
            case "WriteFileByType.req": {
                assertFileTypeName(f);
                int length = f.i("length");
                byte[] data = f.data(length);
                assertEncoded(v, new ReadWriteFileByTypeRequest().wrap(out, OUT_OFFSET, 256).encodeWriteFileByType(
                        f.iid(), f.i("type"), f.num("handle"), f.num("offset"), ByteBuffer.wrap(data), 0, length));
                decodeRequest(v, f, PldmRequestKind.WRITE_FILE_BY_TYPE);
                ReadWriteFileByTypeRequest r = decoder.readWriteFileByTypeRequest();
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.num("offset"), r.fileOffset());
                assertEquals(length, r.length());
                assertArrayEquals(data, bytes(r.buffer(), r.dataIndex(), length));
                decoded(v);
                break;
            }
            case "FileAck.req": {
                assertFileTypeName(f);
                assertEncoded(v, new FileAckRequest().wrap(out, OUT_OFFSET, 64)
                        .encode(f.iid(), f.i("type"), f.num("handle"), f.i("file_status")));
                decodeRequest(v, f, PldmRequestKind.FILE_ACK);
                FileAckRequest r = decoder.fileAckRequest();
                assertFalse(r.hasMetaData());
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.i("file_status"), r.fileStatus());
                decoded(v);
                break;
            }
            case "FileAckWithMetaData.req": {
                assertFileTypeName(f);
                assertEncoded(v, new FileAckRequest().wrap(out, OUT_OFFSET, 64).encodeWithMetaData(f.iid(), f.i("type"),
                        f.num("handle"), f.i("file_status"), f.num("meta1"), f.num("meta2"), f.num("meta3"),
                        f.num("meta4")));
                decodeRequest(v, f, PldmRequestKind.FILE_ACK_WITH_META_DATA);
                FileAckRequest r = decoder.fileAckRequest();
                assertTrue(r.hasMetaData());
                assertEquals(f.i("type"), r.fileType());
                assertEquals(f.num("handle"), r.fileHandle());
                assertEquals(f.i("file_status"), r.fileStatus());
                for (int m = 0; m < FileAckRequest.META_DATA_COUNT; m++) {
                    assertEquals(f.num("meta" + (m + 1)), r.metaData(m));
                }
                decoded(v);
                break;
            }
            case "NewFileAvailable.resp":
            case "NewFileAvailable.resp.err":
            case "FileAck.resp":
            case "FileAck.resp.err":
            case "NewFileAvailableWithMetaData.resp":
            case "NewFileAvailableWithMetaData.resp.err":
            case "FileAckWithMetaData.resp":
            case "FileAckWithMetaData.resp.err": {
                int command = ibmCommand(v.name());
                if (v.kind().equals("resp.err")) {
                    assertEquals(f.symbol("cc"), CompletionCodes.name(PldmTypes.OEM, command, f.cc()));
                    assertErrorResponseAlsoFromErrorResponses(v, f, PldmTypes.OEM, command);
                }
                assertCcOnly(v, f, PldmTypes.OEM, command);
                break;
            }
            default:
                fail("no encoder/decoder check for vector " + v.label() + " — add one, do not skip");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void assertEncoded(Vector v, int result) {
        assertTrue(result > 0, () -> "encode failed: " + PldmCodec.describe(result) + " for " + v.label());
        assertEquals(v.bytes().length, result, () -> "encoded length for " + v.label());
        assertEquals(HexFormat.ofDelimiter(" ").formatHex(v.bytes()),
                HexFormat.ofDelimiter(" ").formatHex(bytes(out, OUT_OFFSET, result)), () -> "encoded bytes for " + v.label());
        ENCODED.computeIfAbsent(v.file(), k -> new AtomicInteger()).incrementAndGet();
    }

    private static void decoded(Vector v) {
        DECODED.computeIfAbsent(v.file(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** The vector's bytes at {@link #IN_OFFSET} behind garbage, in a read-only buffer whose limit ends the message. */
    private static ByteBuffer in(Vector v) {
        ByteBuffer b = ByteBuffer.allocate(IN_OFFSET + v.bytes().length);
        for (int i = 0; i < IN_OFFSET; i++) {
            b.put(i, (byte) 0x5A);
        }
        b.put(IN_OFFSET, v.bytes());
        return b.asReadOnlyBuffer();
    }

    private void decodeRequest(Vector v, VectorFields f, PldmRequestKind expected) {
        int cc = decoder.decode(in(v), IN_OFFSET, v.bytes().length);
        assertEquals(CompletionCodes.SUCCESS, cc, () -> "decode of " + v.label() + ": "
                + CompletionCodes.name(decoder.pldmType(), decoder.command(), cc));
        assertSame(expected, decoder.kind());
        assertTrue(decoder.shouldRespond());
        assertEquals(f.iid(), decoder.instanceId());
        assertEquals(expected.pldmType(), decoder.pldmType());
        assertEquals(expected.command(), decoder.command());
    }

    private static void assertResponse(Vector v, VectorFields f, int validation, PldmMessageFlyweight r, int completionCode) {
        assertEquals(CompletionCodes.SUCCESS, validation, () -> "validate " + v.label());
        assertFalse(r.isRequest());
        assertEquals(f.iid(), r.instanceId());
        assertEquals(f.cc(), completionCode);
        assertEquals(v.bytes()[1] & 0x3F, r.pldmType());
        assertEquals(v.bytes()[2] & 0xFF, r.command());
    }

    private void assertCcOnly(Vector v, VectorFields f, int pldmType, int command) {
        assertEncoded(v, new CcOnlyResponse().wrap(out, OUT_OFFSET, 64).encode(f.iid(), pldmType, command, f.cc()));
        CcOnlyResponse r = new CcOnlyResponse().wrap(in(v), IN_OFFSET, v.bytes().length);
        assertResponse(v, f, r.validate(), r, r.completionCode());
        decoded(v);
    }

    /** The generic error path (what the decoder front door uses) must give the same bytes. */
    private static void assertErrorResponseAlsoFromErrorResponses(Vector v, VectorFields f, int pldmType, int command) {
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = ErrorResponses.encode(b, 0, 64, f.iid(), pldmType, command, f.cc());
        assertArrayEquals(v.bytes(), bytes(b, 0, n), () -> "ErrorResponses for " + v.label());
    }

    private static void assertFileTypeName(VectorFields f) {
        assertEquals(f.symbol("type"), IbmFileTypes.name(f.i("type")));
    }

    private static int ibmCommand(String name) {
        switch (name) {
            case "ReadFile": return IbmFileIoCommands.READ_FILE;
            case "WriteFile": return IbmFileIoCommands.WRITE_FILE;
            case "ReadFileIntoMemory": return IbmFileIoCommands.READ_FILE_INTO_MEMORY;
            case "WriteFileFromMemory": return IbmFileIoCommands.WRITE_FILE_FROM_MEMORY;
            case "ReadFileByTypeIntoMemory": return IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY;
            case "WriteFileByTypeFromMemory": return IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY;
            case "NewFileAvailable": return IbmFileIoCommands.NEW_FILE_AVAILABLE;
            case "ReadFileByType": return IbmFileIoCommands.READ_FILE_BY_TYPE;
            case "WriteFileByType": return IbmFileIoCommands.WRITE_FILE_BY_TYPE;
            case "FileAck": return IbmFileIoCommands.FILE_ACK;
            case "NewFileAvailableWithMetaData": return IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA;
            case "FileAckWithMetaData": return IbmFileIoCommands.FILE_ACK_WITH_META_DATA;
            default: throw new AssertionError("no IBM command named " + name);
        }
    }

    static byte[] bytes(ByteBuffer b, int index, int length) {
        byte[] a = new byte[length];
        b.get(index, a);
        return a;
    }

    private static long le64(byte[] eight) {
        return ByteBuffer.wrap(eight).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String unquote(String s) {
        return s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
