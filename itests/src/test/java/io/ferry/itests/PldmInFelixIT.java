package io.ferry.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.ferry.api.pldm.HandlerInfo;
import io.ferry.api.pldm.TransferService;
import io.ferry.unix.Unix;
import io.ferry.unix.UnixAddress;
import io.ferry.unix.UnixSeqpacketSocket;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * io.ferry.pldm.transfer in Felix with DS, Configuration Admin, JNA, io.ferry.unix and core: its
 * services appear; a requester on the node's mctp-demux socket (a libpldm-style client written
 * here, bytes by hand) talks PLDM to it and moves files by DMA through the shm window, which it
 * maps itself; a handler bundle built at test time (tinybundles, from {@link PldmItestHandler})
 * adds file type 0x30 while it is installed and takes it away when uninstalled; stopping the pldm
 * bundle with DMA transfers in flight ends them without a hang, and a restart serves again.
 *
 * <p>The demux socket gets a name of its own ({@code ferry-itest-<pid>}) through Configuration Admin,
 * so this suite never collides with a node or a real mctp-demux-daemon on {@code \0mctp-mux}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class PldmInFelixIT {
    static final String HANDLER_JAR_PROPERTY = "ferry.itest.pldm.handler.jar";
    static final long WAIT_MILLIS = 20_000;
    static final int BMC_EID = 8;
    static final int OEM = 0x3F;
    static final int READ_INTO_MEMORY = 0x08;
    static final int WRITE_FROM_MEMORY = 0x09;
    static final int READ_FILE_BY_TYPE = 0x0B;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    private static final String SOCKET = "ferry-itest-" + ProcessHandle.current().pid();

    @Configuration
    public Option[] config() throws IOException {
        // The third-party handler bundle, made here on the host side where tinybundles is.
        File jar = new File(FerryOptions.workDir(PldmInFelixIT.class), "pldm-itest-handler.jar");
        jar.getParentFile().mkdirs();
        try (InputStream in = TinyBundles.bundle()
                .addClass(PldmItestHandler.class)
                .addClass(PldmItestHandler.Activator.class)
                .symbolicName("io.ferry.itests.pldm.handler")
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .setHeader(Constants.BUNDLE_ACTIVATOR, PldmItestHandler.Activator.class.getName())
                .setHeader(Constants.IMPORT_PACKAGE, "io.ferry.api.pldm,org.osgi.framework")
                .build(TinyBundles.rawBuilder())) {
            Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
        return options(FerryOptions.felixWithCore(PldmInFelixIT.class),
                FerryOptions.ferryBundle("unix"),
                FerryOptions.ferryBundle("pldm.transfer"),
                systemProperty(HANDLER_JAR_PROPERTY).value(jar.toURI().toString()));
    }

    @Before
    public void ownSocket() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("io.ferry.pldm.mctp", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("role", "server");
        props.put("socketName", SOCKET);
        if (c.getProperties() == null || !SOCKET.equals(c.getProperties().get("socketName"))) {
            c.update(props);
        }
        assertTrue("the node serves \\0" + SOCKET, eventually(this::socketServes));
    }

    private boolean socketServes() {
        try (Requester r = Requester.connect(SOCKET)) {
            byte[] answer = r.exchange(new byte[] {(byte) 0x80, 0x00, 0x02}, 2_000);
            return answer != null && answer.length == 5 && answer[3] == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private TransferService transferService() throws InterruptedException {
        ServiceTracker<TransferService, TransferService> t = new ServiceTracker<>(context, TransferService.class, null);
        t.open();
        try {
            TransferService s = t.waitForService(WAIT_MILLIS);
            assertNotNull("TransferService registered", s);
            return s;
        } finally {
            t.close();
        }
    }

    private boolean serves(int fileType) throws InterruptedException {
        return transferService().handlers().stream().anyMatch(h -> h.fileType() == fileType);
    }

    @Test
    public void shouldRegisterItsServicesAndAnswerOnTheDemuxSocket() throws Exception {
        TransferService service = transferService();
        List<Integer> types = service.handlers().stream().map(HandlerInfo::fileType).toList();
        assertTrue("PEL, LID, DUMP and certificate types served: " + types,
                types.containsAll(List.of(0, 1, 2, 3, 4, 5, 6)));
        ServiceReference<?>[] commands = context.getServiceReferences((String) null, "(osgi.command.scope=pldm)");
        assertNotNull("pldm: commands registered", commands);
        ServiceReference<?>[] steps = context.getServiceReferences("io.ferry.api.demo.DemoStep",
                "(&(ferry.demo.order>=510)(ferry.demo.order<=530))");
        assertEquals("three pldm demo steps", 3, steps == null ? 0 : steps.length);
        assertNotNull("shm DMA engine registered", shmWindow());

        try (Requester r = Requester.connect(SOCKET)) {
            byte[] tid = r.exchange(new byte[] {(byte) 0x81, 0x00, 0x02}, 5_000);
            assertArrayEquals("GetTID answered with TID 1", new byte[] {0x01, 0x00, 0x02, 0x00, 0x01}, tid);
        }
    }

    @Test
    public void aHandlerBundleInstalledAtRunTimeServesItsTypeUntilUninstalled() throws Exception {
        try (Requester r = Requester.connect(SOCKET); Window w = shmWindow()) {
            assertEquals("no handler yet: 0x89", 0x89, r.readFileByType(PldmItestHandler.TYPE, 1, 0, 16)[3] & 0xFF);

            Bundle handler = context.installBundle(System.getProperty(HANDLER_JAR_PROPERTY));
            try {
                handler.start();
                assertTrue("type 0x30 served", eventually(() -> servesQuietly(PldmItestHandler.TYPE)));

                int size = 1 << 20;
                byte[] data = pattern(size, 5);
                long out = w.size - 4L * size;
                long in = w.size - 2L * size;
                w.put(out, data);
                byte[] written = r.dma(WRITE_FROM_MEMORY, PldmItestHandler.TYPE, 11, 0, size, out);
                assertEquals("WriteFileByTypeFromMemory SUCCESS", 0, written[3]);
                assertEquals(size, ByteBuffer.wrap(written, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
                byte[] read = r.dma(READ_INTO_MEMORY, PldmItestHandler.TYPE, 11, 0, size, in);
                assertEquals("ReadFileByTypeIntoMemory SUCCESS", 0, read[3]);
                assertArrayEquals("the bytes come back through the host memory window", data, w.get(in, size));
                byte[] inline = r.readFileByType(PldmItestHandler.TYPE, 11, 4096, 64);
                assertEquals(0, inline[3]);
                assertArrayEquals("ReadFileByType inline", Arrays.copyOfRange(data, 4096, 4096 + 64),
                        Arrays.copyOfRange(inline, 8, 8 + 64));
            } finally {
                handler.uninstall();
            }
            assertTrue("type 0x30 gone", eventually(() -> !servesQuietly(PldmItestHandler.TYPE)));
            assertEquals("uninstalled: 0x89 again", 0x89, r.readFileByType(PldmItestHandler.TYPE, 11, 0, 16)[3] & 0xFF);
        }
    }

    @Test
    public void stoppingThePldmBundleUnderLoadFailsPendingWorkWithoutAHang() throws Exception {
        Bundle pldm = bundle("io.ferry.pldm.transfer");
        Bundle handler = context.installBundle(System.getProperty(HANDLER_JAR_PROPERTY));
        handler.start();
        try {
            assertTrue(eventually(() -> servesQuietly(PldmItestHandler.TYPE)));
            int transfers = 16;
            int size = 4 << 20;
            Path windowFile;
            try (Requester r = Requester.connect(SOCKET); Window w = shmWindow()) {
                windowFile = w.path;
                for (int i = 0; i < transfers; i++) {
                    r.send(dmaRequest(i, WRITE_FROM_MEMORY, PldmItestHandler.TYPE, 100 + i, 0, size, (long) i * size));
                }
                Thread stopper = new Thread(() -> {
                    try {
                        pldm.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "itest-stop-pldm");
                stopper.start();
                stopper.join(WAIT_MILLIS);
                assertFalse("stopping the bundle does not hang", stopper.isAlive());
                assertEquals(Bundle.RESOLVED, pldm.getState());

                // Whatever was answered before the stop, the socket ends: no request waits forever.
                int answered = 0;
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
                while (true) {
                    byte[] m = r.receive(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    if (m == null) {
                        break; // hung up
                    }
                    answered++;
                    assertTrue("no more answers than requests", answered <= transfers);
                }
                assertTrue("the demux server hung up on its client", System.nanoTime() < deadline);
            }
            assertFalse("the window file went with the engine", Files.exists(windowFile));
        } finally {
            handler.uninstall();
            pldm.start();
        }
        assertTrue("a restarted bundle serves again", eventually(this::socketServes));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private boolean servesQuietly(int type) {
        try {
            return serves(type);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    private Window shmWindow() throws Exception {
        ServiceReference<?>[] refs = null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (refs == null && System.nanoTime() < deadline) {
            refs = context.getServiceReferences("io.ferry.pldm.dma.DmaEngine", "(ferry.pldm.dma=shm)");
            if (refs == null) {
                Thread.sleep(20);
            }
        }
        assertNotNull("shm DMA engine service", refs);
        return new Window(Path.of((String) refs[0].getProperty("ferry.pldm.dma.window")),
                (Long) refs[0].getProperty("ferry.pldm.dma.window.size"));
    }

    static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 13 + seed + (i >>> 8));
        }
        return b;
    }

    /** {@code Read/WriteFileByType{Into,From}Memory}: u16 type, u32 handle, u32 offset, u32 length, u64 address. */
    static byte[] dmaRequest(int iid, int command, int type, long handle, long offset, long length, long address) {
        ByteBuffer b = ByteBuffer.allocate(3 + 22).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) (0x80 | (iid & 0x1F))).put((byte) OEM).put((byte) command);
        b.putShort((short) type).putInt((int) handle).putInt((int) offset).putInt((int) length).putLong(address);
        return b.array();
    }

    /** The host memory window, mapped by the test as the host would. */
    static final class Window implements AutoCloseable {
        final Path path;
        final long size;
        private final MappedByteBuffer map;

        Window(Path path, long size) throws IOException {
            this.path = path;
            this.size = size;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            }
        }

        void put(long address, byte[] data) {
            map.put((int) address, data);
        }

        byte[] get(long address, int length) {
            byte[] b = new byte[length];
            map.get((int) address, b);
            return b;
        }

        @Override
        public void close() {
            // The mapping goes with the buffer; the file is the node's.
        }
    }

    /** A libpldm-style requester on the demux socket: type byte 1, then [eid][0x01][PLDM message]. */
    static final class Requester implements AutoCloseable {
        private final UnixSeqpacketSocket socket;
        private final ByteBuffer rx = ByteBuffer.allocateDirect(70_000);
        private int iid;

        private Requester(UnixSeqpacketSocket socket) {
            this.socket = socket;
        }

        static Requester connect(String name) throws IOException {
            UnixSeqpacketSocket s = UnixSeqpacketSocket.connect(UnixAddress.abstractName(name));
            Requester r = new Requester(s);
            ByteBuffer type = ByteBuffer.allocateDirect(1).put(0, (byte) 1);
            if (s.send(type) != 1) {
                s.close();
                throw new IOException("could not register for PLDM");
            }
            return r;
        }

        void send(byte[] pldm) throws IOException {
            ByteBuffer b = ByteBuffer.allocateDirect(pldm.length + 2);
            b.put((byte) BMC_EID).put((byte) 1).put(pldm).flip();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int n;
            while ((n = socket.send(b)) < 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("send failed: " + n);
                }
                Unix.poll(socket.fd(), Unix.POLLOUT, 10_000_000L);
            }
        }

        /** @return the next PLDM message (without the prefix), or null when the peer hung up */
        byte[] receive(long timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                rx.clear();
                int n = socket.receive(rx);
                if (n == 0) {
                    return null;
                }
                if (n > 0) {
                    byte[] m = new byte[n - 2];
                    rx.get(2, m);
                    return m;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no message within " + timeoutMillis + " ms (last " + n + ")");
                }
                int ready = Unix.poll(socket.fd(), Unix.POLLIN, left);
                if (ready < 0) {
                    throw new IOException("poll failed: " + ready);
                }
            }
        }

        byte[] exchange(byte[] request, long timeoutMillis) throws IOException {
            send(request);
            byte[] m = receive(timeoutMillis);
            if (m == null) {
                throw new IOException("hung up");
            }
            return m;
        }

        byte[] dma(int command, int type, long handle, long offset, long length, long address) throws IOException {
            return exchange(dmaRequest(nextIid(), command, type, handle, offset, length, address), WAIT_MILLIS);
        }

        byte[] readFileByType(int type, long handle, long offset, long length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(3 + 14).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) (0x80 | nextIid())).put((byte) OEM).put((byte) READ_FILE_BY_TYPE);
            b.putShort((short) type).putInt((int) handle).putInt((int) offset).putInt((int) length);
            return exchange(b.array(), WAIT_MILLIS);
        }

        private int nextIid() {
            iid = (iid + 1) & 0x1F;
            return iid;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
