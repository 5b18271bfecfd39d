package io.ferry.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DescriptorLeakTest {
    private static final int CYCLES = 1000;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @Test
    void shouldLeakNoDescriptorOrMappingOverAThousandOpenCloseCycles() throws Exception {
        UnixAddress address = UnixSeqpacketSocketTest.uniqueAbstract();
        cycle(address); // warm up: JNA, thread-local scratch, class loading
        long descriptors = Await.openDescriptors();
        int mappings = SharedMemory.liveMappings();
        for (int i = 0; i < CYCLES; i++) {
            cycle(address);
        }
        // Slack of 2 for descriptors the JVM itself may open meanwhile (jar files, GC logs).
        long now = Await.openDescriptors();
        assertTrue(now <= descriptors + 2, "descriptors before " + descriptors + ", after " + now);
        assertEquals(mappings, SharedMemory.liveMappings());
    }

    private static void cycle(UnixAddress address) throws Exception {
        UnixSeqpacketServer server = UnixSeqpacketServer.bind(address);
        UnixSeqpacketSocket client = UnixSeqpacketSocket.connect(address);
        UnixSeqpacketSocket peer = Await.accept(server);
        EventFd bell = EventFd.create();
        SharedMemory memory = SharedMemory.create("leak", 4096);
        assertEquals(1, client.sendWithFds(ByteBuffer.wrap(new byte[] {1}), new int[] {memory.fd(), bell.fd()}));
        int[] fds = new int[2];
        assertEquals(1, peer.receiveWithFds(ByteBuffer.allocate(1), fds));
        SharedMemory mapped = SharedMemory.map(fds[0], 4096);
        EventFd adopted = EventFd.adopt(fds[1]);
        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        for (AutoCloseable c : new AutoCloseable[] {mapped, adopted, memory, bell, peer, client, server, pair[0], pair[1]}) {
            c.close();
            c.close();
        }
    }
}
