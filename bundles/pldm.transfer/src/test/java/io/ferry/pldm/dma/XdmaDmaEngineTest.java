package io.ferry.pldm.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.pldm.codec.FileIoChecks;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XdmaDmaEngineTest {
    private static final int MAX = FileIoChecks.DMA_MAX_SIZE;
    private static final long BASE = 0x0000_0008_4000_0000L;

    private DmaLoop loop;
    private FakeXdmaDevice.Factory devices;
    private XdmaDmaEngine engine;
    private int fdsBefore;

    /** Loads every class (and JAR descriptor) the tests touch, so descriptor counts compare like with like. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() throws Exception {
        try (DmaLoop l = new DmaLoop("dma-xdma-warm-up")) {
            FakeXdmaDevice.Factory f = new FakeXdmaDevice.Factory(BASE, 1 << 20);
            try (XdmaDmaEngine e = new XdmaDmaEngine(f, MAX)) {
                DmaLoop.await(l.start(e, DmaRequest.toHost(ByteBuffer.allocateDirect(64), 0, 64, BASE)));
                f.autoComplete = false;
                var r = l.start(e, DmaRequest.fromHost(BASE, 64, ByteBuffer.allocate(64), 0));
                Thread.sleep(10);
                e.close();
                DmaLoop.await(r);
                f.opened.get(1).signal();
                Patterns.openFds();
                FakeXdmaDevice.hex(f.ops);
                l.<Boolean>call(c -> c.isShutdown());
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        fdsBefore = Patterns.openFds();
        loop = new DmaLoop("dma-xdma-test");
        devices = new FakeXdmaDevice.Factory(BASE, 24 << 20);
        engine = new XdmaDmaEngine(devices, MAX);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        loop.close();
    }

    private void assertNothingLeft() throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (engine.openDevices() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // a quarantined device closes on the releaser thread
        }
        assertEquals(0, engine.openOperations(), "operations");
        assertEquals(0, engine.openDevices(), "devices");
        assertEquals(0, devices.open.get(), "fake devices");
        loop.close();
        // The JVM may open a descriptor of its own meanwhile (class loading); an engine leak shows as
        // at least one descriptor per operation.
        assertTrue(Patterns.openFds() - fdsBefore <= 2, "descriptors leaked: " + (Patterns.openFds() - fdsBefore));
    }

    @Test
    void shouldBeUnavailableWithAReasonWhereTheDeviceIsMissing() {
        XdmaDmaEngine real = new XdmaDmaEngine();
        if (!Files.exists(Path.of("/dev/aspeed-xdma"))) {
            assertFalse(real.isAvailable());
            assertTrue(real.unavailableReason().contains("/dev/aspeed-xdma"), real.unavailableReason());
        }
        real.close();
        assertEquals("closed", real.unavailableReason());
    }

    @Test
    void shouldEncodeTheOpByteExactlyLittleEndian() throws Exception {
        ByteBuffer local = ByteBuffer.allocateDirect(4096);
        Patterns.fill(local, 0, 32, 5);
        var r = DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 0, 32, BASE + 0x10)));
        assertEquals(DmaStatus.SUCCESS, r.status());
        // host_addr 0x0000000840000010 LE, len 32 LE, upstream 1 LE
        assertEquals(List.of("1000004008000000" + "20000000" + "01000000"), FakeXdmaDevice.hex(devices.ops));
        assertEquals(XdmaDmaEngine.PAGE_SIZE, devices.opened.get(0).mapSize, "mapping rounded up to a page");
        assertEquals(-1, Patterns.mismatch(devices.host, 0x10, 32, 5));
        devices.ops.clear();
        ByteBuffer back = ByteBuffer.allocate(64);
        assertEquals(DmaStatus.SUCCESS, DmaLoop.await(loop.start(engine, DmaRequest.fromHost(BASE + 0x10, 32, back, 16))).status());
        assertEquals(List.of("1000004008000000" + "20000000" + "00000000"), FakeXdmaDevice.hex(devices.ops));
        assertEquals(-1, Patterns.mismatch(back, 16, 32, 5));
        assertNothingLeft();
    }

    @Test
    void shouldSendAChunkedSequenceForTwentyMebibytes() throws Exception {
        int length = 20 << 20;
        ByteBuffer local = ByteBuffer.allocateDirect(length);
        Patterns.fill(local, 0, length, 9);
        var r = DmaLoop.await(loop.start(engine, DmaRequest.toHost(local, 0, length, BASE)));
        assertEquals(DmaStatus.SUCCESS, r.status());
        assertEquals(length, r.bytes(), "the whole length, not the tail");
        assertEquals(3, devices.ops.size());
        long[] lengths = {MAX, MAX, length - 2L * MAX};
        for (int i = 0; i < 3; i++) {
            ByteBuffer op = ByteBuffer.wrap(devices.ops.get(i));
            assertEquals(BASE + (long) i * MAX, XdmaOpDescriptor.hostAddress(op, 0));
            assertEquals(lengths[i], XdmaOpDescriptor.length(op, 0));
            assertEquals(0, XdmaOpDescriptor.length(op, 0) % 16);
            assertEquals(1, XdmaOpDescriptor.upstream(op, 0));
        }
        assertEquals(MAX, devices.opened.get(0).mapSize, "one mapping of the largest chunk");
        assertEquals(-1, Patterns.mismatch(devices.host, 0, length, 9));
        assertNothingLeft();
    }

    @Test
    void shouldFreeEverythingWhenADeviceThatNeverCompletesIsCancelledOnTimeout() throws Exception {
        devices.autoComplete = false;
        CompletableFuture<DmaLoop.Result> done = new CompletableFuture<>();
        loop.call(c -> {
            DmaOperation op = engine.start(DmaRequest.toHost(ByteBuffer.allocateDirect(4096), 0, 4096, BASE), c,
                    (o, s, b) -> done.complete(new DmaLoop.Result(o, s, b, c.inEventLoop())));
            c.createTimeEvent(20_000_000L, op::cancel); // the transfer's timeout
            return op;
        });
        DmaLoop.Result r = DmaLoop.await(done);
        assertEquals(DmaStatus.ECANCELED, r.status());
        assertEquals(0, r.bytes());
        assertTrue(r.onLoopThread());
        assertEquals(1, engine.quarantinedDevices(), "in-flight device closed off the loop");
        assertNothingLeft();
    }

    @Test
    void shouldFailAndCleanUpWhenTheDeviceErrsMidSequence() throws Exception {
        devices.failOp = 1;
        var r = DmaLoop.await(loop.start(engine, DmaRequest.toHost(ByteBuffer.allocateDirect(20 << 20), 0, 20 << 20, BASE)));
        assertEquals(DmaStatus.EIO, r.status());
        assertEquals(MAX, r.bytes(), "only the first chunk moved");
        assertEquals(2, devices.ops.size(), "no op after the failed one");
        assertTrue(devices.opened.get(0).isClosed());
        assertNothingLeft();
    }

    /** Field failure "stray DMA responses after a host reset". */
    @Test
    void strayDmaResponsesAfterHostReset_areIgnored() throws Exception {
        devices.autoComplete = false;
        CompletableFuture<DmaLoop.Result> first = new CompletableFuture<>();
        DmaOperation op1 = loop.call(c -> engine.start(DmaRequest.fromHost(BASE, 4096, ByteBuffer.allocate(4096), 0), c,
                (o, s, b) -> first.complete(new DmaLoop.Result(o, s, b, true))));
        waitFor(() -> devices.ops.size() == 1);
        assertTrue(loop.<Boolean>call(c -> op1.cancel()));
        assertEquals(DmaStatus.ECANCELED, DmaLoop.await(first).status());
        FakeXdmaDevice dev1 = devices.opened.get(0);
        waitFor(dev1::isClosed); // in flight when cancelled: closed on the releaser thread
        assertFalse(dev1.finish(0), "the late completion finds the device closed");
        assertEquals(1, dev1.strayIgnored);

        // A second transfer: a stray readiness while its op still runs changes nothing.
        CompletableFuture<DmaLoop.Result> second = loop.start(engine,
                DmaRequest.fromHost(BASE, 4096, ByteBuffer.allocate(4096), 0));
        waitFor(() -> devices.ops.size() == 2);
        FakeXdmaDevice dev2 = devices.opened.get(1);
        dev2.signal();
        Thread.sleep(20);
        assertFalse(second.isDone(), "stray readiness did not complete the operation");
        assertTrue(dev2.finish(0));
        DmaLoop.Result r = DmaLoop.await(second);
        assertEquals(DmaStatus.SUCCESS, r.status());
        assertEquals(4096, r.bytes());
        assertFalse(loop.<Boolean>call(c -> op1.cancel()));
        assertNothingLeft();
    }

    @Test
    void shouldRetryWhenTheEngineIsBusy() throws Exception {
        devices.busyOnce = 1;
        var r = DmaLoop.await(loop.start(engine, DmaRequest.toHost(ByteBuffer.allocateDirect(64), 0, 64, BASE)));
        assertEquals(DmaStatus.SUCCESS, r.status());
        assertEquals(1, engine.busyRetries());
        assertEquals(1, devices.ops.size());
        assertNothingLeft();
    }

    @Test
    void shouldFailPendingOperationsOnEngineClose() throws Exception {
        devices.autoComplete = false;
        var f = loop.start(engine, DmaRequest.toHost(ByteBuffer.allocateDirect(4096), 0, 4096, BASE));
        waitFor(() -> devices.ops.size() == 1);
        engine.close();
        assertEquals(DmaStatus.ESHUTDOWN, DmaLoop.await(f).status());
        assertNotNull(engine.unavailableReason());
        assertNothingLeft();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 5 s");
            }
            Thread.sleep(1);
        }
    }
}
