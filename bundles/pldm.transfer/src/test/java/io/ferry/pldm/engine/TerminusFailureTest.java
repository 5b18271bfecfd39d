package io.ferry.pldm.engine;

import static io.ferry.pldm.engine.EngineFixture.await;
import static io.ferry.pldm.engine.EngineFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.IbmFileIoCommands;
import io.ferry.pldm.codec.ReadWriteFileByTypeRequest;
import io.ferry.pldm.simulator.SimulatorBehaviour;
import io.ferry.pldm.simulator.SimulatorConfig;
import io.ferry.pldm.simulator.TerminusSimulator;
import io.ferry.pldm.simulator.TerminusSimulator.Result;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Termini that die, reset, or send garbage: no hang, no leak, the others and later ones unaffected. */
class TerminusFailureTest {
    @TempDir
    Path dir;

    @Test
    void shouldAbandonTheTransferOfATerminusKilledMidTransferAndServeANewOne() throws Exception {
        try (EngineFixture node = new EngineFixture(dir, 64L << 20, 10_000)) {
            TerminusSimulator dying = node.terminus(20, 0, 16L << 20);
            assertEquals(1, await(dying.getTid()));
            int fdsBefore = EngineFixture.openFds();
            dying.behaviour(SimulatorBehaviour.DIE);
            CompletableFuture<Result> write = dying.writeFileByType(ScratchHandler.TYPE, 1, 0, pattern(4 << 20, 1));
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(write));
            assertTrue(e.getCause() instanceof IOException, e.toString());
            assertTrue(EngineFixture.eventually(() -> node.scratch.count("transferFailed") == 1), "transferFailed called");
            assertTrue(EngineFixture.eventually(() -> node.engine.inFlight() == 0 && node.dma.openOperations() == 0));
            assertEquals(1, node.engine.counters().abandoned());
            assertEquals(0, node.scratch.count("postTransfer"));
            assertTrue(EngineFixture.openFds() - fdsBefore <= 2, "descriptors leaked");

            TerminusSimulator next = node.terminus(21, 16L << 20, 16L << 20);
            byte[] data = pattern(4 << 20, 2);
            Result ok = await(next.writeFileByType(ScratchHandler.TYPE, 1, 0, data));
            assertEquals(CompletionCodes.SUCCESS, ok.completionCode());
            assertArrayEquals(data, Files.readAllBytes(node.scratch.path(1)));
        }
    }

    @Test
    void shouldIgnoreStrayResponsesAndStaleInstanceIdsAfterATerminusReset() throws Exception {
        // A long timeout: the transfers after the reset must not time out on a loaded machine, and the
        // forgotten one needs no timeout to end (the reset lifts its stall).
        try (EngineFixture node = new EngineFixture(dir, 64L << 20, EngineFixture.WAIT_SECONDS * 1000)) {
            TerminusSimulator host = node.terminus(20, 0, 32L << 20);
            // A transfer the host forgets when it resets: stalled until the reset lifts the stall.
            host.behaviour(SimulatorBehaviour.STALL);
            CompletableFuture<Result> forgotten = host.writeFileByType(ScratchHandler.TYPE, 2, 0, pattern(2 << 20, 2));
            assertTrue(EngineFixture.eventually(() -> node.engine.inFlight() == 1));
            await(host.reset());
            assertThrows(ExecutionException.class, () -> await(forgotten));
            host.behaviour(SimulatorBehaviour.NORMAL);
            // Stray responses (Rq = 0) with every instance id, and a request reusing a stale id.
            for (int iid = 0; iid < 32; iid++) {
                assertEquals(0, await(host.sendRaw(new byte[] {(byte) iid, 0x00, 0x02, 0x00, 0x01})));
            }
            byte[] stale = new byte[3 + ReadWriteFileByTypeRequest.FIXED_LENGTH];
            new ReadWriteFileByTypeRequest().wrap(ByteBuffer.wrap(stale), 0, stale.length)
                    .encodeReadFileByType(0, ScratchHandler.TYPE, 424242, 0, 16);
            assertEquals(0, await(host.sendRaw(stale)));
            // The node answers the stale request (0x86) and the forgotten transfer (the reset lifted
            // the stall, so it ends): both answers reach the host as strays, since nothing is pending.
            assertTrue(EngineFixture.eventually(() -> node.engine.inFlight() == 0));
            assertTrue(EngineFixture.eventually(() -> host.strays() >= 2), "strays: " + host.strays());
            assertTrue(node.engine.counters().strays() >= 32, "node counted the stray responses");
            assertEquals(0, node.engine.inFlight());
            assertTrue(EngineFixture.eventually(() -> node.dma.openOperations() == 0));
            assertEquals(1, await(host.getTid()));
            byte[] data = pattern(1 << 20, 3);
            assertEquals(CompletionCodes.SUCCESS, await(host.writeFileByType(ScratchHandler.TYPE, 3, 0, data)).completionCode());
            assertArrayEquals(data, await(host.readFileByType(ScratchHandler.TYPE, 3, 0, data.length)).data());
            assertEquals(32L << 20, host.freeHostMemory());
        }
    }

    @Test
    void shouldAnswerMalformedRequestsPerTheCodecRulesAndKeepOtherTerminiServed() throws Exception {
        try (EngineFixture node = new EngineFixture(dir, 64L << 20, 10_000)) {
            TerminusSimulator bad = node.terminus(20, 0, 16L << 20);
            TerminusSimulator good = node.terminus(21, 16L << 20, 16L << 20);
            bad.behaviour(SimulatorBehaviour.MALFORMED);
            // One byte short, then one byte long: ERROR_INVALID_LENGTH in the padded IBM form.
            assertEquals(CompletionCodes.ERROR_INVALID_LENGTH,
                    await(bad.writeFileByType(ScratchHandler.TYPE, 4, 0, pattern(4096, 4))).completionCode());
            assertEquals(CompletionCodes.ERROR_INVALID_LENGTH,
                    await(bad.readFileByType(ScratchHandler.TYPE, 4, 0, 4096)).completionCode());
            bad.behaviour(SimulatorBehaviour.NORMAL);
            // A WriteFileByType whose length field lies (says 64, carries 16).
            byte[] lying = new byte[3 + ReadWriteFileByTypeRequest.FIXED_LENGTH + 16];
            new ReadWriteFileByTypeRequest().wrap(ByteBuffer.wrap(lying), 0, lying.length)
                    .encodeWriteFileByType(0, ScratchHandler.TYPE, 5, 0, 16);
            lying[3 + ReadWriteFileByTypeRequest.LENGTH_OFFSET] = 64;
            byte[] r = await(bad.exchange(lying));
            assertEquals(CompletionCodes.ERROR_INVALID_LENGTH, r[3] & 0xFF);
            assertEquals(3 + 5, r.length, "the padded form libpldm expects");
            // Unknown command, unknown type, header version 1: codec rules.
            assertEquals(CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD, await(bad.exchange(new byte[] {(byte) 0x80, 0x3F, 0x7E}))[3]);
            assertEquals(CompletionCodes.ERROR_INVALID_PLDM_TYPE, await(bad.exchange(new byte[] {(byte) 0x80, 0x11, 0x01}))[3]);
            // Garbage and truncated headers: no answer, nothing breaks.
            java.util.Random random = new java.util.Random(0x5EED);
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[random.nextInt(40)];
                random.nextBytes(junk);
                if (junk.length > 0) {
                    junk[0] &= 0x7F; // a response or a datagram-less nonsense: never answered
                }
                bad.sendRaw(junk);
            }
            assertEquals(1, await(bad.getTid()), "the abused link still works");
            byte[] data = pattern(2 << 20, 6);
            assertEquals(CompletionCodes.SUCCESS, await(good.writeFileByType(ScratchHandler.TYPE, 6, 0, data)).completionCode());
            assertArrayEquals(data, Files.readAllBytes(node.scratch.path(6)));
            assertEquals(0, node.engine.inFlight());
            assertTrue(node.engine.counters().refused() >= 5);
            assertTrue(!Files.exists(node.scratch.path(4)) && !Files.exists(node.scratch.path(5)), "refused writes touched nothing");
            assertEquals(IbmFileIoCommands.WRITE_FILE_BY_TYPE, lying[2]);
        }
    }

    @Test
    void shouldAbandonRunningTransfersAndTellTheHandlersWhenTheEngineCloses() throws Exception {
        try (EngineFixture node = new EngineFixture(dir, 64L << 20, 10_000)) {
            TerminusSimulator host = node.terminus(20, 0, 32L << 20);
            assertEquals(1, await(host.getTid()));
            int fdsBefore = EngineFixture.openFds();
            host.behaviour(SimulatorBehaviour.STALL);
            for (int i = 0; i < 3; i++) {
                host.writeFileByType(ScratchHandler.TYPE, 40 + i, 0, pattern(1 << 20, i));
            }
            assertTrue(EngineFixture.eventually(() -> node.engine.transfers().size() == 3), "three running");
            node.engine.close();
            node.engine.closeFuture().get(EngineFixture.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(3, node.scratch.count("transferFailed"));
            assertEquals(0, node.scratch.count("postTransfer"));
            assertEquals(3, node.engine.counters().abandoned());
            assertEquals(0, node.engine.inFlight());
            assertEquals(java.util.List.of(), node.engine.transfers());
            assertTrue(EngineFixture.eventually(() -> node.dma.openOperations() == 0));
            assertTrue(EngineFixture.openFds() - fdsBefore <= 2, "descriptors leaked");
            ExecutionException offer = assertThrows(ExecutionException.class,
                    () -> await(node.engine.offerFile(20, 0, 1, 16).toCompletableFuture()));
            assertTrue(offer.getCause() instanceof IOException);
        }
    }

    @Test
    void shouldFreeTransfersWhenTheEventLoopStopsBeforeTheEngineCloses() throws Exception {
        try (EngineFixture node = new EngineFixture(dir, 64L << 20, 10_000)) {
            TerminusSimulator host = node.terminus(20, 0, 32L << 20);
            assertEquals(1, await(host.getTid()));
            host.behaviour(SimulatorBehaviour.STALL);
            host.writeFileByType(ScratchHandler.TYPE, 50, 0, pattern(1 << 20, 1));
            host.readFileByType(ScratchHandler.TYPE, 50, 0, 16); // refused at once: no such file yet
            host.writeFileByType(ScratchHandler.TYPE, 51, 0, pattern(1 << 20, 2));
            assertTrue(EngineFixture.eventually(() -> node.engine.transfers().size() == 2), "two running");
            assertTrue(node.bmc.stop(10_000));
            node.engine.close();
            assertTrue(node.engine.closeFuture().isDone(), "closed on the calling thread");
            assertEquals(2, node.scratch.count("transferFailed"));
            assertEquals(2, node.engine.counters().abandoned());
            assertEquals(0, node.engine.inFlight());
            node.dma.close();
            assertEquals(0, node.dma.openOperations());
        }
    }

    @Test
    void shouldAbandonTheTransferOfADemuxClientThatHangsUpMidTransfer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.ferry.unix.Unix.isAvailable());
        String name = "ferry-pldm-die-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (EngineFixture node = new EngineFixture(dir, 64L << 20, 10_000)) {
            io.ferry.pldm.mctp.MctpDemuxServer server = new io.ferry.pldm.mctp.MctpDemuxServer(
                    io.ferry.pldm.mctp.MctpConfig.defaults().withSocketName(name), node.engine);
            node.engine.serve(server);
            server.start(node.bmc.center());
            try {
                TerminusSimulator host = new TerminusSimulator(SimulatorConfig.of(8, 0, 32L << 20), node.dma.window());
                host.start(new io.ferry.pldm.mctp.MctpDemuxClient(io.ferry.pldm.mctp.MctpConfig.defaults().withSocketName(name),
                        host, io.ferry.pldm.mctp.MctpFaultListener.NONE), node.host.center());
                assertEquals(1, await(host.getTid()));
                int fdsBefore = EngineFixture.openFds();
                host.behaviour(SimulatorBehaviour.DIE);
                CompletableFuture<Result> write = host.writeFileByType(ScratchHandler.TYPE, 60, 0, pattern(4 << 20, 1));
                assertThrows(ExecutionException.class, () -> await(write));
                assertTrue(EngineFixture.eventually(() -> node.scratch.count("transferFailed") == 1), "transferFailed called");
                assertTrue(EngineFixture.eventually(() -> node.engine.inFlight() == 0 && node.dma.openOperations() == 0));
                assertEquals(1, node.engine.counters().abandoned());
                assertTrue(EngineFixture.eventually(() -> EngineFixture.openFds() - fdsBefore <= 0), "the client socket and file were closed");

                TerminusSimulator next = new TerminusSimulator(SimulatorConfig.of(8, 32L << 20, 32L << 20), node.dma.window());
                next.start(new io.ferry.pldm.mctp.MctpDemuxClient(io.ferry.pldm.mctp.MctpConfig.defaults().withSocketName(name),
                        next, io.ferry.pldm.mctp.MctpFaultListener.NONE), node.host.center());
                byte[] data = pattern(4 << 20, 2);
                assertEquals(CompletionCodes.SUCCESS, await(next.writeFileByType(ScratchHandler.TYPE, 60, 0, data)).completionCode());
                assertArrayEquals(data, Files.readAllBytes(node.scratch.path(60)));
                next.close();
            } finally {
                server.close();
                server.closeFuture().get(EngineFixture.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
