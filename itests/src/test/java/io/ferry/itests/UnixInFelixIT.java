package io.ferry.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.options;

import io.ferry.unix.EventFd;
import io.ferry.unix.SharedMemory;
import io.ferry.unix.UnixSeqpacketSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainerFactory;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The io.ferry.unix bundle resolves in Felix next to JNA and its native calls work from inside the
 * framework: a seqpacket pair passes a memfd and an eventfd with SCM_RIGHTS, and the receiver sees
 * the sender's write through its own mapping and the sender's signal on the passed eventfd.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(NativeTestContainerFactory.class)
public class UnixInFelixIT {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return options(FerryOptions.felixWithCore(UnixInFelixIT.class), FerryOptions.ferryBundle("unix"));
    }

    @Test
    public void shouldPassSharedMemoryAndAnEventFdInsideTheFramework() throws Exception {
        Bundle unix = null;
        for (Bundle b : context.getBundles()) {
            if ("io.ferry.unix".equals(b.getSymbolicName())) {
                unix = b;
            }
        }
        assertNotNull("io.ferry.unix is installed", unix);
        assertEquals("io.ferry.unix is active", Bundle.ACTIVE, unix.getState());

        UnixSeqpacketSocket[] pair = UnixSeqpacketSocket.pair();
        try (UnixSeqpacketSocket a = pair[0]; UnixSeqpacketSocket b = pair[1];
                SharedMemory memory = SharedMemory.create("itest", 4096, true);
                EventFd bell = EventFd.create()) {
            memory.buffer().put(0, (byte) 42);
            ByteBuffer hello = ByteBuffer.wrap("HELLO".getBytes(StandardCharsets.US_ASCII));
            assertEquals(5, a.sendWithFds(hello, new int[] {memory.fd(), bell.fd()}));

            int[] fds = new int[2];
            assertEquals(5, b.receiveWithFds(ByteBuffer.allocateDirect(16), fds));
            assertNotEquals(-1, fds[0]);
            assertNotEquals(-1, fds[1]);
            try (SharedMemory mapped = SharedMemory.map(fds[0], 4096); EventFd received = EventFd.adopt(fds[1])) {
                assertEquals("the receiver reads the sender's byte through its own mapping", 42,
                        mapped.buffer().get(0));
                assertEquals(0, bell.signal(3));
                assertEquals("the sender's signal arrives on the passed eventfd", 3L, received.drain());
            }
        }
    }
}
