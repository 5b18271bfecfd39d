package io.ferry.pldm.handler;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.OpenResult;
import static io.ferry.pldm.codec.CompletionCodes.ERROR_INVALID_DATA;
import static io.ferry.pldm.codec.CompletionCodes.ERROR_NOT_READY;
import static io.ferry.pldm.codec.CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
import static io.ferry.pldm.codec.CompletionCodes.IBM_DATA_OUT_OF_RANGE;
import static io.ferry.pldm.codec.CompletionCodes.IBM_INVALID_FILE_HANDLE;
import static io.ferry.pldm.codec.CompletionCodes.IBM_INVALID_FILE_TYPE;
import static io.ferry.pldm.codec.CompletionCodes.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.codec.IbmFileTypes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTypeHandlerTest {
    @TempDir
    Path tmp;

    /** Writes like the TransferService would: resolve, check, open, positional write, close. */
    private static int write(FileTypeHandler h, long handle, long offset, byte[] data) throws IOException {
        Resolution r = h.resolve(handle);
        if (!r.isResolved()) {
            return r.code();
        }
        int code = h.checkRange(r, offset, data.length, true);
        if (code != SUCCESS) {
            return code;
        }
        OpenResult o = h.openWrite(r);
        if (o.code() != SUCCESS) {
            return o.code();
        }
        try (FileChannel ch = o.channel()) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
        }
        return h.postTransfer(r, false, data.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldStorePelAtomicallyAfterWrite() throws IOException {
        PelHandler pel = new PelHandler(tmp.resolve("pel"));
        Resolution r = pel.resolve(0x50000001L);
        OpenResult o = pel.openWrite(r);
        try (FileChannel ch = o.channel()) {
            ch.write(ByteBuffer.wrap(bytes("PEL-DATA")), 0);
        }
        Path stored = pel.storeDirectory().path().resolve("1342177281");
        assertFalse(Files.exists(stored), "not visible in the store before post-transfer");
        assertEquals(SUCCESS, pel.postTransfer(r, false, 8));
        assertEquals("PEL-DATA", Files.readString(stored));
        assertFalse(Files.exists(r.path()), "moved, not copied");
        assertEquals(List.of(0x50000001L), pel.storedPels());
        // read back by the host, then acknowledged
        Resolution rr = pel.resolve(0x50000001L);
        assertEquals(SUCCESS, pel.checkRange(rr, 0, 100, false));
        assertEquals(8, pel.clampLength(rr, 0, 100));
        assertEquals(SUCCESS, pel.fileAck(0x50000001L, 0));
        assertTrue(pel.isAcked(0x50000001L));
        assertEquals(IBM_INVALID_FILE_HANDLE, pel.fileAck(77, 0));
    }

    @Test
    void shouldStoreRetriedPelOnce() throws IOException {
        PelHandler pel = new PelHandler(tmp.resolve("pel"));
        assertEquals(SUCCESS, write(pel, 3, 0, bytes("first")));
        assertEquals(SUCCESS, write(pel, 3, 0, bytes("retry")));
        assertEquals(List.of(3L), pel.storedPels());
        assertEquals("retry", Files.readString(pel.storeDirectory().path().resolve("3")));
    }

    @Test
    void shouldDeletePartialPelWhenTransferFails() throws IOException {
        PelHandler pel = new PelHandler(tmp.resolve("pel"));
        Resolution r = pel.resolve(4);
        pel.openWrite(r).channel().close();
        assertTrue(Files.exists(r.path()));
        pel.transferFailed(r, false);
        assertFalse(Files.exists(r.path()));
        assertTrue(pel.storedPels().isEmpty());
    }

    @Test
    void shouldAnswerDataOutOfRangeAndClipReads() throws IOException {
        PelHandler pel = new PelHandler(tmp.resolve("pel"), 100);
        assertEquals(SUCCESS, write(pel, 1, 0, new byte[10]));
        Resolution r = pel.resolve(1);
        assertEquals(SUCCESS, pel.checkRange(r, 9, 100, false));
        assertEquals(1, pel.clampLength(r, 9, 100));
        assertEquals(IBM_DATA_OUT_OF_RANGE, pel.checkRange(r, 10, 1, false), "offset == size");
        assertEquals(IBM_DATA_OUT_OF_RANGE, pel.checkRange(r, 11, 1, false));
        assertEquals(IBM_DATA_OUT_OF_RANGE, pel.checkRange(r, -1, 1, false));
        assertEquals(IBM_INVALID_FILE_HANDLE, pel.checkRange(pel.resolve(2), 0, 1, false), "missing file");
        Resolution w = pel.resolve(2);
        assertEquals(SUCCESS, pel.checkRange(w, 0, 100, true));
        assertEquals(IBM_DATA_OUT_OF_RANGE, pel.checkRange(w, 1, 100, true), "past max size");
        assertEquals(IBM_DATA_OUT_OF_RANGE, pel.checkRange(w, 0, 101, true));
    }

    @Test
    void shouldRefuseSecondConcurrentDump() throws IOException {
        DumpHandler dump = new DumpHandler(tmp.resolve("dump"));
        assertEquals(IBM_INVALID_FILE_HANDLE, write(dump, 1, 0, new byte[4]), "no announcement");
        assertEquals(SUCCESS, dump.newFileAvailable(1, 8));
        assertEquals(ERROR_NOT_READY, dump.newFileAvailable(2, 8), "one system dump at a time");
        assertEquals(IBM_INVALID_FILE_HANDLE, write(dump, 2, 0, new byte[4]));
        assertEquals(IBM_DATA_OUT_OF_RANGE, write(dump, 1, 4, bytes("EFGH")), "out of stream order");
        assertEquals(SUCCESS, write(dump, 1, 0, bytes("ABCD")));
        assertEquals(IBM_DATA_OUT_OF_RANGE, write(dump, 1, 4, bytes("EFGHI")), "past announced size");
        assertEquals(1, dump.activeDump());
        assertEquals(SUCCESS, write(dump, 1, 4, bytes("EFGH")));
        assertEquals(DumpHandler.NONE, dump.activeDump(), "offload complete frees the slot");
        assertEquals("ABCDEFGH", Files.readString(dump.storeDirectory().path().resolve("1")));
        assertEquals(List.of(1L), dump.completedDumps());
        assertEquals(SUCCESS, dump.fileAck(1, 0));
        assertEquals(SUCCESS, dump.newFileAvailable(2, 8), "next dump accepted");
    }

    @Test
    void shouldDiscardDumpOnFailedAck() throws IOException {
        DumpHandler dump = new DumpHandler(tmp.resolve("dump"));
        assertEquals(SUCCESS, dump.newFileAvailable(1, 8));
        assertEquals(SUCCESS, write(dump, 1, 0, bytes("ABCD")));
        assertEquals(SUCCESS, dump.fileAck(1, 1));
        assertEquals(DumpHandler.NONE, dump.activeDump());
        assertTrue(dump.completedDumps().isEmpty());
        assertEquals(IBM_DATA_OUT_OF_RANGE, dump.newFileAvailable(2, 0));
        assertEquals(IBM_INVALID_FILE_HANDLE, dump.newFileAvailable(-1, 8));
    }

    @Test
    void shouldStageCompleteLids() throws IOException {
        LidHandler lid = new LidHandler(IbmFileTypes.LID_TEMP, tmp.resolve("lid"));
        assertEquals(SUCCESS, lid.newFileAvailable(0x81e00640L, 8));
        assertEquals(SUCCESS, write(lid, 0x81e00640L, 0, bytes("1234")));
        assertTrue(lid.stagedLids().isEmpty(), "half a LID is not staged");
        assertEquals(SUCCESS, write(lid, 0x81e00640L, 4, bytes("5678")));
        assertEquals("12345678", Files.readString(lid.stagingDirectory().path().resolve("81e00640.lid")));
        Files.writeString(lid.lidDirectory().path().resolve("00000001.lid"), "offered");
        Resolution r = lid.resolve(1);
        assertEquals(SUCCESS, lid.checkRange(r, 0, 4096, false));
        assertEquals(7, lid.clampLength(r, 0, 4096));
    }

    @Test
    void shouldAcceptOnlyPemCertificates() throws IOException {
        CertificateHandler signed = new CertificateHandler(IbmFileTypes.SIGNED_CERT, tmp.resolve("signed"));
        String pem = CertificateHandler.BEGIN + "\nMIIB\n" + CertificateHandler.END + "\n";
        assertEquals(SUCCESS, write(signed, 1, 0, bytes(pem)));
        assertEquals(pem, Files.readString(signed.acceptedDirectory().path().resolve("1")));
        assertEquals(ERROR_INVALID_DATA, write(signed, 2, 0, bytes("not a certificate")));
        assertFalse(Files.exists(signed.fileDirectory().path().resolve("2")), "rejected file deleted");
        assertEquals(ERROR_INVALID_DATA, write(signed, 3, 0, bytes(CertificateHandler.END + CertificateHandler.BEGIN)));
        byte[] withNul = bytes(pem);
        withNul[30] = 0;
        assertEquals(ERROR_INVALID_DATA, write(signed, 4, 0, withNul));
        assertEquals(List.of(1L), signed.acceptedCertificates());
        assertEquals(ERROR_UNSUPPORTED_PLDM_CMD, signed.checkRange(signed.resolve(1), 0, 1, false), "not read back");
        // announced length: chunks accumulate, validated once complete
        CertificateHandler root = new CertificateHandler(IbmFileTypes.ROOT_CERT, tmp.resolve("root"));
        assertEquals(SUCCESS, root.newFileAvailable(9, pem.length()));
        assertEquals(SUCCESS, write(root, 9, 0, bytes(pem.substring(0, 10))));
        assertTrue(root.acceptedCertificates().isEmpty());
        assertEquals(SUCCESS, write(root, 9, 10, bytes(pem.substring(10))));
        assertEquals(List.of(9L), root.acceptedCertificates());
    }

    @Test
    void shouldServeCsrReadOnly() throws IOException {
        CertificateHandler csr = new CertificateHandler(IbmFileTypes.CERT_SIGNING_REQUEST, tmp.resolve("csr"));
        Files.writeString(csr.fileDirectory().path().resolve("5"), "-----BEGIN CERTIFICATE REQUEST-----");
        Resolution r = csr.resolve(5);
        assertEquals(SUCCESS, csr.checkRange(r, 0, 10, false));
        assertEquals(ERROR_UNSUPPORTED_PLDM_CMD, csr.checkRange(r, 0, 10, true));
        assertEquals(ERROR_UNSUPPORTED_PLDM_CMD, csr.openWrite(r).code());
        OpenResult o = csr.openRead(r);
        assertEquals(SUCCESS, o.code());
        o.channel().close();
        assertEquals(SUCCESS, csr.postTransfer(r, true, 10));
        assertEquals(SUCCESS, csr.fileAck(5, 0));
        assertEquals(IBM_INVALID_FILE_HANDLE, csr.fileAck(6, 0));
    }

    @Test
    void shouldAnswerInvalidFileTypeForUnknownTypes() throws IOException {
        HandlerRegistry reg = new HandlerRegistry();
        PelHandler pel = new PelHandler(tmp.resolve("pel"));
        assertTrue(reg.register(pel));
        assertFalse(reg.register(new PelHandler(tmp.resolve("pel2"))), "first handler stays");
        assertSame(pel, reg.handler(IbmFileTypes.PEL));
        assertEquals(SUCCESS, reg.checkFileType(IbmFileTypes.PEL));
        assertEquals(IBM_INVALID_FILE_TYPE, reg.checkFileType(IbmFileTypes.DUMP));
        assertEquals(IBM_INVALID_FILE_TYPE, reg.checkFileType(0xFFFF));
        assertEquals(IBM_INVALID_FILE_TYPE, reg.resolve(0x42, 1).code());
        assertEquals(IBM_INVALID_FILE_TYPE, reg.newFileAvailable(0x42, 1, 16));
        assertEquals(IBM_INVALID_FILE_TYPE, reg.fileAck(0x42, 1, 0));
        assertNull(reg.handler(0x42));
        assertTrue(reg.unregister(pel));
        assertEquals(IBM_INVALID_FILE_TYPE, reg.checkFileType(IbmFileTypes.PEL));
    }
}
