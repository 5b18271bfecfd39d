package io.ferry.bench.shm;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Aeron IPC anchor: an embedded media driver in this JVM ({@link ThreadingMode#SHARED}: one
 * driver thread, which suits two cores; its own directory under {@code /dev/shm}, deleted on
 * close), an exclusive publication to the child and a subscription for its answers, both over
 * {@code aeron:ipc}. The harness thread offers one message per {@code offer} and busy-polls for
 * answers, as Aeron's own IPC benchmarks do; the child busy-polls while its link is measured.
 * Messages fit one fragment ({@link #CHANNEL} raises the IPC MTU to 8 KiB), so neither side pays
 * for reassembly. Each receiver copies every message out of the term buffer into its own buffer,
 * as a socket or Ferry {@code read} delivers the bytes into the reader's buffer: every link moves
 * each payload byte to the receiving core.
 */
final class AeronLink implements Link {
    /**
     * Publication channel: IPC with an 8 KiB MTU (a 4 KiB message is one frame) and Aeron's
     * default IPC term length (64 MiB: the publisher runs far ahead of the driver conductor, which
     * moves its limit, so a conductor delayed on a busy machine does not stall it).
     */
    static final String CHANNEL = "aeron:ipc?mtu=8192";
    private static final int TO_CHILD = 1001;
    private static final int FROM_CHILD = 1002;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication publication;
    private final Subscription subscription;
    private final UnsafeBuffer out = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer received = new UnsafeBuffer(ByteBuffer.allocateDirect(64 << 10));
    private final FragmentAssembler assembler;
    private final Path dir;
    private int answers;

    private AeronLink(MediaDriver driver, Aeron aeron, Publication publication, Subscription subscription, Path dir) {
        this.driver = driver;
        this.aeron = aeron;
        this.publication = publication;
        this.subscription = subscription;
        this.dir = dir;
        // Like a socket read, the answer's bytes end up in this side's own buffer.
        FragmentHandler h = (buffer, offset, length, header) -> {
            buffer.getBytes(offset, received, 0, Math.min(length, received.capacity()));
            answers++;
        };
        this.assembler = new FragmentAssembler(h);
    }

    /** @return the anchor's name and version for the result rows. */
    static String anchorName() {
        String v = Aeron.class.getPackage().getImplementationVersion();
        return "aeron " + (v == null ? "?" : v) + " IPC";
    }

    /** Starts the media driver, connects the child and waits (bounded) until both directions are connected. */
    static AeronLink open(ChildProcess child, String id) throws IOException, InterruptedException {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = base.resolve("ferry-bench-aeron-" + ProcessHandle.current().pid());
        MediaDriver driver = null;
        Aeron aeron = null;
        try {
            driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(dir.toString())
                    .threadingMode(ThreadingMode.SHARED)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            Publication pub = aeron.addExclusivePublication(CHANNEL, TO_CHILD);
            Subscription sub = aeron.addSubscription("aeron:ipc", FROM_CHILD);
            child.command("aeron " + id + " " + dir + " " + CHANNEL + " " + TO_CHILD + " " + FROM_CHILD);
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (!pub.isConnected() || !sub.isConnected()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("aeron: the child's subscription/publication did not connect in 10 s");
                }
                Thread.sleep(1);
            }
            return new AeronLink(driver, aeron, pub, sub, dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (aeron != null) {
                aeron.close();
            }
            if (driver != null) {
                driver.close();
            }
            IoUtil.delete(dir.toFile(), true);
            throw e;
        }
    }

    @Override
    public String id() {
        return "aeron";
    }

    @Override
    public boolean pinned() {
        return true;
    }

    @Override
    public String label() {
        return "aeron ipc";
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        out.wrap(message, message.position(), message.remaining());
        long r;
        long deadline = 0;
        while ((r = publication.offer(out, 0, out.capacity())) < 0) {
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new IOException("aeron offer failed: " + r);
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + TIMEOUT_NANOS;
            } else if (System.nanoTime() > deadline) {
                throw new IOException("aeron: back-pressured/not connected for 10 s (" + r + ")");
            }
            Thread.onSpinWait();
        }
        message.position(message.limit());
    }

    @Override
    public void awaitAnswer(ByteBuffer scratch) throws IOException {
        int want = answers + 1;
        long deadline = 0;
        while (answers < want) {
            if (subscription.poll(assembler, 1) == 0) {
                if (deadline == 0) {
                    deadline = System.nanoTime() + TIMEOUT_NANOS;
                } else if (System.nanoTime() > deadline) {
                    throw new IOException("aeron: no answer in 10 s");
                }
                Thread.onSpinWait();
            }
        }
        scratch.position(scratch.limit());
    }

    @Override
    public void close() {
        try {
            aeron.close();
        } finally {
            driver.close();
            IoUtil.delete(dir.toFile(), true);
        }
    }
}
