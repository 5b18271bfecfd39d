package io.ferry.pldm.engine;

import static io.ferry.pldm.engine.EngineFixture.await;
import static io.ferry.pldm.engine.EngineFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.pldm.PldmException;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.DfHeartbeatRequest;
import io.ferry.pldm.codec.DfHeartbeatResponse;
import io.ferry.pldm.codec.DfOpenRequest;
import io.ferry.pldm.codec.DfOpenResponse;
import io.ferry.pldm.codec.MultipartReceiveRequest;
import io.ferry.pldm.codec.MultipartReceiveResponse;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.codec.TransferFlags;
import io.ferry.pldm.simulator.TerminusSimulator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSP0242 reads over the file table: DfOpen, MultipartReceive parts, DfHeartbeat, DfClose. */
class DspFileTransferTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadAFileInPartsAndRefuseBadDescriptorsAndHandles() throws Exception {
        try (EngineFixture node = new EngineFixture(dir, 16L << 20, 2_000)) {
            TerminusSimulator host = node.terminus(20, 0, 16L << 20);
            Path table = dir.resolve("table");
            byte[] big = pattern(200_000, 1); // four parts of at most 60 KiB
            Files.write(table.resolve("a.bin"), big);
            Files.write(table.resolve("b.bin"), pattern(100, 2));
            node.onBmc(() -> node.engine.fileTable().rescan());
            assertArrayEquals(big, await(host.dfReadFile(0)));
            assertArrayEquals(pattern(100, 2), await(host.dfReadFile(1)));
            assertEquals(0, (int) node.onBmc(() -> node.engine.openFileDescriptors()), "DfClose freed them");
            ExecutionException unknown = assertThrows(ExecutionException.class, () -> await(host.dfReadFile(7)));
            assertEquals(CompletionCodes.DF_INVALID_FILE_IDENTIFIER, ((PldmException) unknown.getCause()).completionCode());

            // By hand: open, a wrong handle, a retry of the current part, heartbeat, then an idle close.
            byte[] m = new byte[3 + DfOpenRequest.PAYLOAD_LENGTH];
            new DfOpenRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encode(0, 0, 0);
            byte[] r = await(host.exchange(m));
            DfOpenResponse open = new DfOpenResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
            assertEquals(CompletionCodes.SUCCESS, open.completionCode());
            int fd = open.fileDescriptor();
            assertEquals(CompletionCodes.DF_FILE_OPEN, await(host.exchange(m))[3] & 0xFF, "one descriptor per file");
            MultipartReceiveResponse part = part(host, fd, TransferFlags.XFER_FIRST_PART, 0);
            assertEquals(TransferFlags.START, part.transferFlag());
            long next = part.nextTransferHandle();
            assertEquals(CompletionCodes.ERROR_INVALID_DATA_TRANSFER_HANDLE,
                    part(host, fd, TransferFlags.XFER_NEXT_PART, next + 16).completionCode());
            MultipartReceiveResponse again = part(host, fd, TransferFlags.XFER_CURRENT_PART, 1);
            assertEquals(CompletionCodes.SUCCESS, again.completionCode());
            assertEquals(part.dataLength(), again.dataLength());
            assertEquals(CompletionCodes.ERROR_INVALID_TRANSFER_CONTEXT,
                    part(host, fd + 1000, TransferFlags.XFER_FIRST_PART, 0).completionCode());
            byte[] hb = new byte[3 + DfHeartbeatRequest.PAYLOAD_LENGTH];
            new DfHeartbeatRequest().wrap(ByteBuffer.wrap(hb), 0, hb.length).encode(0, fd, 1000);
            r = await(host.exchange(hb));
            DfHeartbeatResponse beat = new DfHeartbeatResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
            assertEquals(CompletionCodes.SUCCESS, beat.completionCode());
            assertEquals(2_000, beat.responderMaxInterval());
            assertTrue(EngineFixture.eventually(() -> {
                try {
                    return node.onBmc(() -> node.engine.openFileDescriptors()) == 0;
                } catch (Exception e) {
                    return false;
                }
            }), "an idle descriptor is closed after the timeout");
            assertEquals(CompletionCodes.ERROR_INVALID_TRANSFER_CONTEXT,
                    part(host, fd, TransferFlags.XFER_FIRST_PART, 0).completionCode());
        }
    }

    private static MultipartReceiveResponse part(TerminusSimulator host, int fd, int op, long handle) throws Exception {
        byte[] m = new byte[3 + MultipartReceiveRequest.PAYLOAD_LENGTH];
        new MultipartReceiveRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encode(0, PldmTypes.FILE, op, fd, handle, 0, 0);
        byte[] r = await(host.exchange(m));
        return new MultipartReceiveResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
    }
}
