package io.ferry.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SeparateProcessTest {
    private static final long CHILD_TIMEOUT_SECONDS = 30;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @Test
    void shouldExchangeDatagramsAndDescriptorsWithAChildJvmOverAnAbstractName() throws Exception {
        UnixAddress address = UnixSeqpacketSocketTest.uniqueAbstract();
        Process child = null;
        try (UnixSeqpacketServer server = UnixSeqpacketServer.bind(address);
                SharedMemory memory = SharedMemory.create("child", 4096, true);
                EventFd bell = EventFd.create()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            child = new ProcessBuilder(List.of(java, "-cp", classPath, ChildPeer.class.getName(), address.name()))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();

            try (UnixSeqpacketSocket peer = acceptWithin(server, child)) {
                assertEquals(new PeerCredentials((int) child.pid(), peer.peerCredentials().uid(),
                        peer.peerCredentials().gid()), peer.peerCredentials());
                assertEquals("hello " + child.pid(), receive(peer));

                for (String text : new String[] {"one", "two", "three"}) {
                    send(peer, "echo:" + text, null);
                }
                assertEquals("one", receive(peer));
                assertEquals("two", receive(peer));
                assertEquals("three", receive(peer));

                memory.buffer().putLong(0, 41);
                assertEquals(0, memory.sealSize());
                send(peer, "fds", new int[] {memory.fd(), bell.fd()});
                assertEquals("mapped", receive(peer));
                Await.readable(bell.fd(), Await.TIMEOUT_MILLIS);
                assertEquals(7, bell.drain());
                assertEquals(42, memory.buffer().getLong(8), "written by the child through its mapping");

                send(peer, "bye", null);
                assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "child exits");
                assertEquals(0, child.exitValue());
                ByteBuffer eof = ByteBuffer.allocate(8);
                assertEquals(0, Await.retry(peer.fd(), () -> peer.receive(eof)), "end of stream once the child has gone");
            }
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static UnixSeqpacketSocket acceptWithin(UnixSeqpacketServer server, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            UnixSeqpacketSocket s = server.accept();
            if (s != null) {
                return s;
            }
            if (!child.isAlive()) {
                throw new AssertionError("child exited with " + child.exitValue() + " before connecting");
            }
            try {
                Await.readable(server.fd(), 200);
            } catch (java.util.concurrent.TimeoutException ignored) {
                // check the child and the deadline again
            }
        }
        throw new AssertionError("child did not connect within " + CHILD_TIMEOUT_SECONDS + " s");
    }

    private static void send(UnixSeqpacketSocket peer, String text, int[] fds) {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(out.remaining(), peer.sendWithFds(out, fds));
    }

    private static String receive(UnixSeqpacketSocket peer) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(256);
        int n = Await.retry(peer.fd(), () -> peer.receive(in));
        assertTrue(n > 0, "received " + n);
        return new String(in.array(), 0, n, StandardCharsets.UTF_8);
    }
}
