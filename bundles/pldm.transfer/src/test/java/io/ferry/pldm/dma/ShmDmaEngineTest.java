package io.ferry.pldm.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileIoChecks;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShmDmaEngineTest {
    private static final int MAX = FileIoChecks.DMA_MAX_SIZE;
    private static final long WINDOW = 80L << 20;

    @TempDir
    Path dir;
    private DmaLoop loop;
    private ShmDmaEngine engine;
    private ShmWindow simulator;
    private FileChannel file;

    @BeforeEach
    void setUp() throws Exception {
        loop = new DmaLoop("dma-shm-test");
        engine = new ShmDmaEngine(ShmWindow.create(dir, WINDOW));
        simulator = ShmWindow.attach(engine.window().path());
        file = FileChannel.open(dir.resolve("local.bin"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        simulator.close();
        file.close();
        loop.close();
    }

    @Test
    void shouldCreateTheWindowFileOwnerOnlyAndDeleteItOnClose() throws Exception {
        Path p = engine.window().path();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        assertEquals(WINDOW + ShmWindow.CONTROL_LENGTH, Files.size(p));
        engine.close();
        assertFalse(Files.exists(p));
        assertFalse(engine.isAvailable());
    }

    @ParameterizedTest
    @ValueSource(longs = {16, 4096 + 16, MAX - 16L, MAX, MAX + 16L, 20L << 20, 64L << 20})
    void shouldMoveFileBytesToHostAndBackAcrossChunkBoundaries(long length) throws Exception {
        long address = 4096 + 48;
        Patterns.writeFile(file, 32, length, length);
        var toHost = DmaLoop.await(loop.start(engine, DmaRequest.toHost(file, 32, length, address)));
        assertEquals(DmaStatus.SUCCESS, toHost.status());
        assertEquals(length, toHost.bytes());
        assertTrue(toHost.onLoopThread());
        assertEquals(toHost.op().plan().chunkCount(), toHost.op().chunkIndex());
        assertEquals(-1, Patterns.mismatch(simulator.buffer(), (int) address, length, length), "host memory");

        // The simulator changes host memory; WriteFileFromMemory brings it back into another place.
        Patterns.fill(simulator.buffer(), (int) address, length, length + 7);
        var fromHost = DmaLoop.await(loop.start(engine, DmaRequest.fromHost(address, length, file, 1 << 20)));
        assertEquals(DmaStatus.SUCCESS, fromHost.status());
        assertEquals(-1, Patterns.fileMismatch(file, 1 << 20, length, length + 7), "file");
        assertEquals(0, engine.openOperations());
    }

    @Test
    void shouldMoveBufferBytesBothWays() throws Exception {
        ByteBuffer local = ByteBuffer.allocateDirect(1 << 20);
        Patterns.fill(local, 16, 65536, 3);
        assertEquals(DmaStatus.SUCCESS,
                DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 16, 65536, 0))).status());
        assertEquals(-1, Patterns.mismatch(simulator.buffer(), 0, 65536, 3));
        ByteBuffer back = ByteBuffer.allocate(1 << 20);
        assertEquals(DmaStatus.SUCCESS,
                DmaLoop.await(loop.start(engine, DmaRequest.fromHost(0, 65536, back, 4096))).status());
        assertEquals(-1, Patterns.mismatch(back, 4096, 65536, 3));
    }

    @Test
    void shouldRefuseAddressRangesOutsideTheWindowWithEfault() throws Exception {
        ByteBuffer local = ByteBuffer.allocate(4096);
        long[][] cases = {{WINDOW - 16, 32}, {WINDOW, 16}, {-16, 32}, {Long.MAX_VALUE - 8, 16}, {WINDOW + 4096, 16}};
        for (long[] c : cases) {
            var r = DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 0, c[1], c[0])));
            assertEquals(DmaStatus.EFAULT, r.status(), "address " + c[0] + " length " + c[1]);
            assertEquals(CompletionCodes.ERROR, DmaStatus.toCompletionCode(r.status()));
            assertEquals(0, r.bytes());
        }
        // The last granule of the window is fine.
        assertEquals(DmaStatus.SUCCESS,
                DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 0, 16, WINDOW - 16))).status());
        assertEquals(0, engine.openOperations());
    }

    @Test
    void shouldRefuseUnalignedLengthsAndShortBuffersWithoutTouchingTheWindow() throws Exception {
        ByteBuffer local = ByteBuffer.allocate(64);
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH,
                DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 0, 24, 0))).status());
        assertEquals(CompletionCodes.ERROR_INVALID_LENGTH,
                DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 0, 0, 0))).status());
        assertEquals(DmaStatus.EINVAL,
                DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 32, 64, 0))).status());
        assertEquals(DmaStatus.EINVAL,
                DmaLoop.await(loop.start(engine, DmaRequest.fromHost(0, 16, local.asReadOnlyBuffer(), 0))).status());
        assertEquals(0, engine.openOperations());
    }

    @Test
    void shouldFailWithEioWhenTheFileIsShorterThanTheRequest() throws Exception {
        Patterns.writeFile(file, 0, 4096, 1);
        var r = DmaLoop.await(loop.start(engine, DmaRequest.toHost(file, 0, 8192, 0)));
        assertEquals(DmaStatus.EIO, r.status());
        assertEquals(0, engine.openOperations());
    }

    @Test
    void shouldWaitWhileTheHostStallsARangeAndGoOnWhenItResumes() throws Exception {
        ByteBuffer local = ByteBuffer.allocateDirect(4 << 20);
        Patterns.fill(local, 0, 4 << 20, 11);
        // The simulator's own mapping stalls the second half; the engine sees it through the control page.
        int slot = simulator.stall(2 << 20, 2 << 20);
        assertTrue(engine.window().isStalled((2 << 20) + 16, 16));
        assertFalse(engine.window().isStalled(0, 2 << 20));
        CompletableFuture<DmaLoop.Result> done = loop.start(engine, DmaRequest.toHost(local, 0, 4 << 20, 0));
        // The first half arrives while the second waits: the operation is still open, not spinning.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (Patterns.mismatch(simulator.buffer(), 0, 2 << 20, 11) != -1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(-1, Patterns.mismatch(simulator.buffer(), 0, 2 << 20, 11));
        assertFalse(done.isDone());
        assertEquals(1, engine.openOperations());
        simulator.resume(slot);
        DmaLoop.Result r = DmaLoop.await(done);
        assertEquals(DmaStatus.SUCCESS, r.status());
        assertEquals(-1, Patterns.mismatch(simulator.buffer(), 0, 4 << 20, 11));
        assertEquals(0, engine.openOperations());
    }

    @Test
    void shouldReleaseAStalledOperationWhenCancelled() throws Exception {
        ByteBuffer local = ByteBuffer.allocateDirect(1 << 20);
        int slot = simulator.stall(0, 1 << 20);
        CompletableFuture<DmaLoop.Result> done = new CompletableFuture<>();
        loop.call(c -> {
            DmaOperation o = engine.start(DmaRequest.fromHost(0, 1 << 20, local, 0), c,
                    (x, status, bytes) -> done.complete(new DmaLoop.Result(x, status, bytes, c.inEventLoop())));
            c.createTimeEvent(50_000_000L, () -> assertTrue(o.cancel()));
            return o;
        });
        DmaLoop.Result r = DmaLoop.await(done);
        assertEquals(DmaStatus.ECANCELED, r.status());
        assertEquals(0, r.bytes());
        assertEquals(0, engine.openOperations());
        simulator.resume(slot);
        assertFalse(simulator.isStalled(0, 1 << 20));
    }

    @Test
    void shouldStopAndReleaseWhenCancelledMidTransfer() throws Exception {
        try (ShmDmaEngine slow = new ShmDmaEngine(ShmWindow.create(dir, 64L << 20), true, MAX, 64 * 1024)) {
            ByteBuffer local = ByteBuffer.allocateDirect(64 << 20);
            CompletableFuture<DmaLoop.Result> done = new CompletableFuture<>();
            // A timer cancels the operation after a few slices, as a transfer timeout would.
            DmaOperation op = loop.call(c -> {
                DmaOperation o = slow.start(DmaRequest.toHost(local, 0, 64L << 20, 0), c,
                        (x, status, bytes) -> done.complete(new DmaLoop.Result(x, status, bytes, c.inEventLoop())));
                c.createTimeEvent(2_000_000L, () -> assertTrue(o.cancel()));
                return o;
            });
            DmaLoop.Result r = DmaLoop.await(done);
            assertEquals(DmaStatus.ECANCELED, r.status());
            assertTrue(r.bytes() > 0 && r.bytes() < (64L << 20), "moved " + r.bytes());
            assertEquals(r.bytes(), (long) loop.<Long>call(c -> op.bytesTransferred()));
            assertTrue(loop.<Boolean>call(c -> op.isDone()));
            assertFalse(loop.<Boolean>call(c -> op.cancel()), "a second cancel is a no-op");
            assertEquals(0, slow.openOperations());
        }
    }

    @Test
    void shouldCompleteManyConcurrentOperationsOnOneCenter() throws Exception {
        int n = 64;
        int each = 256 * 1024;
        Patterns.writeFile(file, 0, (long) n * each, 11);
        List<CompletableFuture<DmaLoop.Result>> all = new ArrayList<>();
        try (ShmDmaEngine sliced = new ShmDmaEngine(ShmWindow.create(dir, (long) n * each), true, 64 * 1024, 16 * 1024)) {
            ShmWindow host = ShmWindow.attach(sliced.window().path());
            for (int i = 0; i < n; i++) {
                all.add(loop.start(sliced, DmaRequest.toHost(file, (long) i * each, each, (long) i * each)));
            }
            for (var f : all) {
                DmaLoop.Result r = DmaLoop.await(f);
                assertEquals(DmaStatus.SUCCESS, r.status());
                assertEquals(4, r.op().plan().chunkCount());
            }
            assertEquals(-1, Patterns.mismatch(host.buffer(), 0, (long) n * each, 11));
            assertEquals(0, sliced.openOperations());
            host.close();
        }
    }

    @Test
    void shouldFailPendingOperationsWhenTheEngineClosesAndLeaveNothingBehind() throws Exception {
        int fdsBefore = Patterns.openFds();
        ShmDmaEngine e = new ShmDmaEngine(ShmWindow.create(dir, 64L << 20), true, MAX, 4096);
        Path windowFile = e.window().path();
        ByteBuffer local = ByteBuffer.allocateDirect(32 << 20);
        List<CompletableFuture<DmaLoop.Result>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(loop.start(e, DmaRequest.toHost(local, 0, 32L << 20, (long) i * (8 << 20))));
        }
        e.close();
        for (var f : pending) {
            DmaLoop.Result r = DmaLoop.await(f);
            assertEquals(DmaStatus.ESHUTDOWN, r.status());
            assertTrue(r.onLoopThread());
        }
        assertEquals(DmaStatus.ESHUTDOWN,
                DmaLoop.await(loop.start(e, DmaRequest.toHost(local, 0, 16, 0))).status(), "start after close");
        assertEquals(0, e.openOperations());
        assertFalse(Files.exists(windowFile));
        // The JVM may open a descriptor of its own meanwhile (class loading); an engine leak shows as
        // at least one descriptor per operation.
        assertTrue(Patterns.openFds() - fdsBefore <= 2, "descriptors leaked: " + (Patterns.openFds() - fdsBefore));
    }

    @Test
    void shouldFailPendingOperationsWhenTheCenterShutsDown() throws Exception {
        DmaLoop other = new DmaLoop("dma-shm-dying");
        ShmDmaEngine e = new ShmDmaEngine(ShmWindow.create(dir, 64L << 20), true, MAX, 4096);
        var f = other.start(e, DmaRequest.toHost(ByteBuffer.allocateDirect(32 << 20), 0, 32L << 20, 0));
        other.close();
        // Either the queued slice ran during shutdown and failed the operation, or shutdown dropped
        // the slice's time event and the engine's close releases it: never a success, never a leak.
        if (f.isDone()) {
            assertEquals(DmaStatus.ESHUTDOWN, DmaLoop.await(f).status());
        }
        e.close();
        assertEquals(0, e.openOperations());
    }
}
