package io.ferry.pldm.engine;

import static io.ferry.pldm.engine.EngineFixture.await;
import static io.ferry.pldm.engine.EngineFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferListener;
import io.ferry.api.pldm.TransferState;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileAttributeTable;
import io.ferry.pldm.codec.FileIoChecks;
import io.ferry.pldm.codec.GetFileTableRequest;
import io.ferry.pldm.codec.GetFileTableResponse;
import io.ferry.pldm.codec.GetPldmTypesResponse;
import io.ferry.pldm.codec.GetPldmVersionRequest;
import io.ferry.pldm.codec.GetPldmVersionResponse;
import io.ferry.pldm.codec.EmptyRequest;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.codec.TransferFlags;
import io.ferry.pldm.codec.Ver32;
import io.ferry.pldm.simulator.TerminusSimulator;
import io.ferry.pldm.simulator.TerminusSimulator.Result;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The responder end to end: a simulator on an in-JVM link, the engine on a real event loop, shm DMA. */
class TransferEngineTest {
    private static final int EID = 20;
    @TempDir
    Path dir;
    private EngineFixture node;
    private TerminusSimulator host;

    @BeforeEach
    void setUp() throws Exception {
        node = new EngineFixture(dir, 64L << 20, 10_000);
        host = node.terminus(EID, 0, 64L << 20);
    }

    @AfterEach
    void tearDown() throws Exception {
        node.close();
    }

    @Test
    void shouldDefaultToTheAnchorsTwentySecondTimeout() {
        assertEquals(20_000, TransferEngineConfig.defaults().timeoutMillis());
        assertEquals(20_000, TransferEngineConfig.TIMEOUT_MILLIS_DEFAULT);
    }

    @Test
    void shouldAnswerBaseCommands() throws Exception {
        assertEquals(1, await(host.getTid()));
        byte[] types = new byte[3];
        new EmptyRequest().wrap(ByteBuffer.wrap(types), 0, 3).encodeGetPldmTypes(0);
        byte[] r = await(host.exchange(types));
        GetPldmTypesResponse t = new GetPldmTypesResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
        assertEquals(CompletionCodes.SUCCESS, t.validate());
        assertTrue(t.supportsType(PldmTypes.BASE) && t.supportsType(PldmTypes.OEM));
        byte[] version = new byte[3 + GetPldmVersionRequest.PAYLOAD_LENGTH];
        new GetPldmVersionRequest().wrap(ByteBuffer.wrap(version), 0, version.length)
                .encode(0, 0, TransferFlags.GET_FIRST_PART, PldmTypes.OEM);
        r = await(host.exchange(version));
        GetPldmVersionResponse v = new GetPldmVersionResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
        assertEquals(CompletionCodes.SUCCESS, v.validate());
        assertEquals(Ver32.of(1, 0, 0, 0), v.version());
    }

    @Test
    void shouldMoveFilesByTypeThroughDmaByteExact() throws Exception {
        byte[] data = pattern(1024 * 1024 + 16, 3);
        Result w = await(host.writeFileByType(ScratchHandler.TYPE, 5, 0, data));
        assertEquals(CompletionCodes.SUCCESS, w.completionCode());
        assertEquals(data.length, w.length());
        assertArrayEquals(data, Files.readAllBytes(node.scratch.path(5)));
        Result r = await(host.readFileByType(ScratchHandler.TYPE, 5, 16, data.length - 16));
        assertEquals(CompletionCodes.SUCCESS, r.completionCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 16, data.length), r.data());
        assertEquals(0, node.engine.inFlight());
        assertEquals(64L << 20, host.freeHostMemory());
    }

    @Test
    void shouldMoveSmallFilesInline() throws Exception {
        byte[] data = pattern(4096, 9);
        Result w = await(host.writeFileByTypeInline(ScratchHandler.TYPE, 6, 0, data));
        assertEquals(CompletionCodes.SUCCESS, w.completionCode());
        assertEquals(4096, w.length());
        Result r = await(host.readFileByTypeInline(ScratchHandler.TYPE, 6, 100, 8192));
        assertEquals(CompletionCodes.SUCCESS, r.completionCode());
        assertEquals(4096 - 100, r.length(), "clipped to the file's end");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 4096), r.data());
    }

    @Test
    void shouldChunkATransferAboveTheDmaMaximumAndAnswerTheWholeLength() throws Exception {
        int length = FileIoChecks.DMA_MAX_SIZE + 2 * 1024 * 1024 + 48; // two chunks, a multiple of 16
        byte[] data = pattern(length, 5);
        Result w = await(host.writeFileByType(ScratchHandler.TYPE, 8, 0, data));
        assertEquals(CompletionCodes.SUCCESS, w.completionCode());
        assertEquals(length, w.length(), "the whole length, not the tail's");
        assertArrayEquals(data, Files.readAllBytes(node.scratch.path(8)));
        Result r = await(host.readFileByType(ScratchHandler.TYPE, 8, 0, length));
        assertEquals(length, r.length());
        assertArrayEquals(data, r.data());
    }

    @Test
    void shouldRunPostTransferBeforeTheAnswerAndAnswerItsCode() throws Exception {
        node.scratch.probe = host::responses;
        long before = host.responses();
        Result ok = await(host.writeFileByType(ScratchHandler.TYPE, 9, 0, pattern(4096, 1)));
        assertEquals(CompletionCodes.SUCCESS, ok.completionCode());
        ScratchHandler.Call call = node.scratch.calls.get(0);
        assertEquals("postTransfer", call.what());
        assertEquals(4096, call.length());
        assertFalse(call.toHost());
        assertEquals(before, call.probe(), "the host had not been answered when postTransfer ran");
        assertEquals(before + 1, host.responses());

        node.scratch.postTransferCode = CompletionCodes.ERROR_INVALID_DATA;
        Result refused = await(host.writeFileByType(ScratchHandler.TYPE, 10, 0, pattern(4096, 2)));
        assertEquals(CompletionCodes.ERROR_INVALID_DATA, refused.completionCode());
        assertTrue(EngineFixture.eventually(() -> node.engine.counters().failed() == 1));
        assertEquals(0, node.scratch.count("transferFailed"));
    }

    @Test
    void shouldApplyTheChecksInOpenbmcOrder() throws Exception {
        Files.write(node.scratch.path(11), pattern(100, 4));
        assertEquals(CompletionCodes.IBM_INVALID_FILE_TYPE, await(host.readFileByType(0x55, 11, 0, 16)).completionCode());
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.readFileByType(ScratchHandler.TYPE, 12, 0, 16)).completionCode());
        assertEquals(CompletionCodes.IBM_DATA_OUT_OF_RANGE, await(host.readFileByType(ScratchHandler.TYPE, 11, 100, 16)).completionCode());
        // 4096 clipped to the file's 100 bytes, which is not a multiple of 16: refused after clipping.
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, await(host.readFileByType(ScratchHandler.TYPE, 11, 0, 4096)).completionCode());
        // 4096 at offset 4 clipped to 96: fine.
        Result r = await(host.readFileByType(ScratchHandler.TYPE, 11, 4, 4096));
        assertEquals(CompletionCodes.SUCCESS, r.completionCode());
        assertEquals(96, r.length());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, await(host.writeFileByType(ScratchHandler.TYPE, 13, 0, new byte[17])).completionCode());
        assertFalse(Files.exists(node.scratch.path(13)), "nothing opened for a refused length");
        assertEquals(0, node.engine.inFlight());
        assertTrue(node.engine.counters().refused() >= 5);
    }

    @Test
    void shouldRefusePathTraversalThroughHandlesAndNames() throws Exception {
        Path outside = dir.resolve("outside.txt");
        Files.write(outside, pattern(64, 7));
        Files.createSymbolicLink(node.scratch.path(77), outside);
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.readFileByType(ScratchHandler.TYPE, 77, 0, 64)).completionCode());
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.writeFileByType(ScratchHandler.TYPE, 77, 0, new byte[64])).completionCode());
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.writeFileByTypeInline(ScratchHandler.TYPE, 77, 0, new byte[64])).completionCode());
        // The file table: a link is never listed; a file swapped for a link after the scan is refused at open.
        Path table = dir.resolve("table");
        Files.write(table.resolve("a.bin"), pattern(64, 8));
        Files.createSymbolicLink(table.resolve("b.link"), outside);
        node.onBmc(() -> node.engine.fileTable().rescan());
        assertEquals(List.of("a.bin"), node.onBmc(() -> node.engine.fileTable().names()));
        Files.delete(table.resolve("a.bin"));
        Files.createSymbolicLink(table.resolve("a.bin"), outside);
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.readFile(0, 0, 64)).completionCode());
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.readFileIntoMemory(0, 0, 64)).completionCode());
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.writeFile(0, 0, new byte[16])).completionCode());
        assertEquals(CompletionCodes.IBM_INVALID_FILE_HANDLE, await(host.readFile(1, 0, 64)).completionCode());
        assertArrayEquals(pattern(64, 7), Files.readAllBytes(outside), "nothing outside the base changed");
    }

    @Test
    void shouldServeTheFileTableByHandleInlineAndByDma() throws Exception {
        Path table = dir.resolve("table");
        Files.write(table.resolve("lid1.bin"), pattern(4096, 1));
        Files.write(table.resolve("lid2.bin"), pattern(256, 2));
        byte[] req = new byte[3 + GetFileTableRequest.PAYLOAD_LENGTH];
        new GetFileTableRequest().wrap(ByteBuffer.wrap(req), 0, req.length).encode(0, 0, TransferFlags.GET_FIRST_PART, 0);
        byte[] r = await(host.exchange(req));
        GetFileTableResponse resp = new GetFileTableResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
        assertEquals(CompletionCodes.SUCCESS, resp.validate());
        assertEquals(CompletionCodes.SUCCESS, resp.completionCode());
        FileAttributeTable t = resp.table(new FileAttributeTable());
        assertTrue(t.crcMatches());
        assertEquals(2, t.entryCount());
        int e = t.findEntry(1);
        assertEquals("lid2.bin", t.entryName(e));
        assertEquals(256, t.entrySize(e));
        Result inline = await(host.readFile(1, 0, 256));
        assertArrayEquals(pattern(256, 2), inline.data());
        Result viaDma = await(host.readFileIntoMemory(0, 0, 4096));
        assertArrayEquals(pattern(4096, 1), viaDma.data());
        byte[] update = pattern(512, 3);
        assertEquals(CompletionCodes.SUCCESS, await(host.writeFileFromMemory(0, 1024, update)).completionCode());
        assertArrayEquals(update, java.util.Arrays.copyOfRange(Files.readAllBytes(table.resolve("lid1.bin")), 1024, 1536));
        req[5 + 3] = 1; // table type 1 (OEM): not served
        r = await(host.exchange(req));
        assertEquals(CompletionCodes.IBM_INVALID_FILE_TABLE_TYPE, r[3] & 0xFF);
    }

    @Test
    void shouldReportTransfersToListenersAndSnapshots() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        node.engine.addListener(new TransferListener() {
            @Override
            public void transferStarted(TransferInfo t) {
                events.add("started " + t.command() + " " + t.length());
            }

            @Override
            public void transferEnded(TransferInfo t) {
                events.add("ended " + t.state() + " " + t.completionCode() + " " + t.bytesDone());
            }
        });
        await(host.writeFileByType(ScratchHandler.TYPE, 14, 0, pattern(2048, 1)));
        assertTrue(EngineFixture.eventually(() -> events.size() == 2), events.toString());
        assertEquals(List.of("started WriteFileByTypeFromMemory 2048", "ended " + TransferState.COMPLETED + " 0 2048"), events);
        assertEquals(List.of(), node.engine.transfers());
        assertEquals(1, node.engine.counters().completed());
        assertEquals(2048, node.engine.counters().bytes());
        assertEquals(List.of(IbmFileTypes.PEL, ScratchHandler.TYPE),
                node.engine.handlers().stream().map(h -> h.fileType()).toList());
    }

    @Test
    void shouldOfferAFileAndCompleteOnTheHostsFileAck() throws Exception {
        assertEquals(1, await(host.getTid())); // the engine learns which link eid 20 uses
        CompletableFuture<Integer> offer = node.engine.offerFile(EID, IbmFileTypes.PEL, 42, 4096).toCompletableFuture();
        assertTrue(EngineFixture.eventually(() -> !host.offers().isEmpty()));
        assertEquals(new TerminusSimulator.Offer(IbmFileTypes.PEL, 42, 4096), host.offers().get(0));
        assertFalse(offer.isDone());
        await(host.fileAck(IbmFileTypes.PEL, 42, 0));
        assertEquals(0, await(offer));
        java.util.concurrent.ExecutionException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> await(node.engine.offerFile(99, IbmFileTypes.PEL, 1, 16).toCompletableFuture()));
        assertTrue(unknown.getCause() instanceof java.io.IOException);
    }

    @Test
    void shouldPublishProgressOfARunningTransferInSnapshotsAndEvents() throws Exception {
        List<TransferInfo> progress = new CopyOnWriteArrayList<>();
        node.engine.addListener(new TransferListener() {
            @Override
            public void transferProgress(TransferInfo t) {
                progress.add(t);
            }
        });
        host.behaviour(io.ferry.pldm.simulator.SimulatorBehaviour.STALL); // half moves, then the host stops
        CompletableFuture<Result> write = host.writeFileByType(ScratchHandler.TYPE, 15, 0, pattern(4 << 20, 5));
        assertTrue(EngineFixture.eventually(() -> node.engine.transfers().size() == 1
                && node.engine.transfers().get(0).bytesDone() == 2 << 20), "the snapshot shows half done");
        TransferInfo running = node.engine.transfers().get(0);
        assertEquals(TransferState.RUNNING, running.state());
        assertEquals(50, running.percentDone());
        assertEquals(EID, running.terminusEid());
        assertEquals(ScratchHandler.TYPE, running.fileType());
        assertTrue(EngineFixture.eventually(() -> !progress.isEmpty()), "a progress event");
        assertEquals(15, progress.get(progress.size() - 1).handle());
        await(host.reset()); // lifts the stall; the node finishes and answers a host that forgot
        assertTrue(EngineFixture.eventually(() -> node.engine.transfers().isEmpty()));
        assertEquals(1, node.engine.counters().completed());
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, () -> await(write));
    }
}
