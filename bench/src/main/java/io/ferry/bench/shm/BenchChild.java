package io.ferry.bench.shm;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The far end of every link of the {@code shm} suite, in its own JVM. It reads one command per
 * line on standard input and answers one line on standard output ({@code ok ...} or
 * {@code err <why>}); every link gets a worker thread that consumes the link's messages and
 * answers {@link Wire#FLUSH} and {@link Wire#PING} (see {@link Wire}).
 *
 * <pre>
 * tcp ID                      listen on 127.0.0.1, answer "ok PORT"; the worker accepts one connection
 * uds ID PATH                 listen on a Unix stream socket at PATH; the worker accepts one connection
 * aeron ID DIR CHANNEL IN OUT subscribe to stream IN and publish on stream OUT of CHANNEL (media driver in DIR)
 * ferry ID ...                see {@link FerryChildLinks}
 * active ID SIZE pin|free     link ID is measured now, with SIZE-byte messages, its worker pinned
 *                             to {@link #MEASURED_CPU} or free; the others idle
 * active - 0 free             every link idles
 * quit                        close everything and exit (also on end of input: the harness died)
 * </pre>
 *
 * <p>Idle workers sleep (in a blocking read, or parked between polls), so that only the measured
 * link uses a CPU; the active one spins where its transport spins (Aeron, Ferry busy-poll).
 *
 * <p><b>Threading:</b> the main thread reads commands; each worker owns its link. The current
 * {@link Turn} is published through a volatile field; the harness changes it only while no
 * message is in flight.
 */
public final class BenchChild {
    /** Which link is measured, with which message size, and whether its worker runs pinned. Immutable. */
    record Turn(String linkId, int messageSize, boolean pinned) {
    }

    static volatile Turn turn = new Turn("-", 64, false);

    /** The CPU the workers are pinned to ({@link CpuAffinity}); the harness thread takes CPU 0. */
    static final int MEASURED_CPU = 1;

    private static final List<AutoCloseable> CLOSEABLES = new ArrayList<>();

    private BenchChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                String[] a = line.trim().split(" ");
                if (a[0].equals("quit")) {
                    out.println("ok");
                    break;
                }
                try {
                    out.println("ok" + command(a));
                } catch (Exception | LinkageError e) {
                    e.printStackTrace();
                    out.println("err " + String.valueOf(e).replace('\n', ' '));
                }
            }
        } finally {
            closing = true;
            for (int i = CLOSEABLES.size() - 1; i >= 0; i--) {
                try {
                    CLOSEABLES.get(i).close();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }
            // Workers are daemons, possibly blocked in a read the harness has not closed yet: exit now.
            System.exit(0);
        }
    }

    private static String command(String[] a) throws Exception {
        switch (a[0]) {
            case "tcp" -> {
                java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open();
                CLOSEABLES.add(server);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                worker(a[1], () -> {
                    java.nio.channels.SocketChannel ch = server.accept();
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    return new SocketStream(ch);
                });
                return " " + port;
            }
            case "uds" -> {
                java.nio.channels.ServerSocketChannel server =
                        java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                CLOSEABLES.add(server);
                Path path = Path.of(a[2]);
                server.bind(UnixDomainSocketAddress.of(path));
                CLOSEABLES.add(() -> Files.deleteIfExists(path));
                worker(a[1], () -> new SocketStream(server.accept()));
                return "";
            }
            case "aeron" -> {
                aeron(a[1], a[2], a[3], Integer.parseInt(a[4]), Integer.parseInt(a[5]));
                return "";
            }
            case "ferry" -> {
                ChildStream stream = FerryChildLinks.open(a, CLOSEABLES);
                worker(a[1], () -> stream);
                return "";
            }
            case "active" -> {
                turn = new Turn(a[1], Integer.parseInt(a[2]), a[3].equals("pin"));
                return "";
            }
            default -> throw new IllegalArgumentException("unknown command " + a[0]);
        }
    }

    /** One side of a stream link as the worker sees it. */
    interface ChildStream extends AutoCloseable {
        /**
         * Reads what is there into {@code dst}, waiting a bounded time.
         *
         * @param active whether this link is measured now (a busy-poll link spins only then)
         * @return bytes read, 0 when the wait ended without data, -1 at end of stream
         */
        int read(ByteBuffer dst, boolean active) throws IOException;

        /** Writes all of {@code src}. */
        void write(ByteBuffer src) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Opens a stream (may block, e.g. in accept) on the worker thread. */
    interface StreamOpener {
        ChildStream open() throws IOException;
    }

    private static void worker(String id, StreamOpener opener) {
        Thread t = new Thread(() -> {
            try (ChildStream s = opener.open()) {
                ByteBuffer buf = ByteBuffer.allocateDirect(64 << 10);
                Turn seen = null;
                Wire.Parser parser = null;
                ByteBuffer answer = null;
                Affinity affinity = new Affinity(id);
                while (true) {
                    Turn now = turn;
                    affinity.follow(now);
                    buf.clear();
                    int n = s.read(buf, now.linkId().equals(id));
                    if (n < 0) {
                        return;
                    }
                    if (n == 0) {
                        continue;
                    }
                    now = turn;
                    if (now != seen) {
                        seen = now;
                        parser = new Wire.Parser(now.messageSize());
                        answer = Wire.message(now.messageSize(), Wire.FLUSH);
                    }
                    buf.flip();
                    for (int k = parser.consume(buf); k > 0; k--) {
                        answer.clear();
                        s.write(answer);
                    }
                }
            } catch (IOException e) {
                if (!closing) {
                    System.err.println("bench child: link " + id + " failed: " + e);
                }
            }
        }, "bench-child-" + id);
        t.setDaemon(true);
        t.start();
    }

    private static volatile boolean closing;

    private static void aeron(String id, String dir, String channel, int inStream, int outStream) throws Exception {
        Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        CLOSEABLES.add(aeron);
        Subscription sub = aeron.addSubscription("aeron:ipc", inStream);
        Publication pub = aeron.addExclusivePublication(channel, outStream);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pub.isConnected() || !sub.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("aeron link " + id + " did not connect in 10 s");
            }
            Thread.sleep(1);
        }
        Thread t = new Thread(() -> {
            Affinity affinity = new Affinity(id);
            UnsafeBuffer answer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 << 10));
            UnsafeBuffer received = new UnsafeBuffer(ByteBuffer.allocateDirect(64 << 10));
            FragmentHandler handler = (DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header header) -> {
                // The bytes land in this side's buffer, as a socket or Ferry read puts them.
                buffer.getBytes(offset, received, 0, Math.min(length, received.capacity()));
                if (received.getByte(0) != Wire.DATA) {
                    answer.putByte(0, Wire.FLUSH);
                    long r;
                    while ((r = pub.offer(answer, 0, length)) < 0) {
                        if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                            throw new IllegalStateException("aeron publication " + r);
                        }
                        Thread.onSpinWait();
                    }
                }
            };
            FragmentAssembler assembler = new FragmentAssembler(handler);
            try {
                while (!closing && !sub.isClosed()) {
                    if (sub.poll(assembler, 64) == 0) {
                        Turn now = turn;
                        affinity.follow(now);
                        if (now.linkId().equals(id)) {
                            Thread.onSpinWait();
                        } else {
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (!closing) {
                    System.err.println("bench child: aeron link " + id + " failed: " + e);
                }
            }
        }, "bench-child-" + id);
        t.setDaemon(true);
        t.start();
    }

    /** Pins a worker to {@link #MEASURED_CPU} while its link is measured pinned, and frees it after. */
    private static final class Affinity {
        private final String id;
        private boolean pinned;

        Affinity(String id) {
            this.id = id;
        }

        void follow(Turn now) {
            boolean want = now.pinned() && now.linkId().equals(id);
            if (want != pinned) {
                pinned = want;
                if (want) {
                    CpuAffinity.pinCurrentThread(MEASURED_CPU);
                } else {
                    CpuAffinity.unpinCurrentThread();
                }
            }
        }
    }

    /** A blocking JDK socket channel (TCP or Unix domain). */
    static final class SocketStream implements ChildStream {
        private final java.nio.channels.SocketChannel channel;

        SocketStream(java.nio.channels.SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst, boolean active) throws IOException {
            return channel.read(dst);
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
