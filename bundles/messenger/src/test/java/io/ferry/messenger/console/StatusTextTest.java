package io.ferry.messenger.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Messenger;
import io.ferry.api.msgr.Policy;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.testkit.EventLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StatusTextTest {

    @Test
    void shouldListAddressesConnectionsStatesSeqsAndQueues() throws Exception {
        try (PosixStack stack = new PosixStack("status-test", 1)) {
            AsyncMessenger a = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("a", EntityName.osd(0)));
            AsyncMessenger b = new AsyncMessenger(stack.stack(), MessengerSettings.defaults("b", EntityName.osd(1)));
            try {
                a.addDispatcher((c, m) -> m.release());
                EntityAddress addr = a.bind(new InetSocketAddress("127.0.0.1", 0));
                Connection c = b.connect(addr, EntityName.TYPE_OSD, Policy.losslessPeer());
                c.send(new Message(0x7F02, BufferList.ofUtf8("x"), new BufferList(), new BufferList()));
                EventLoops.awaitCondition(() -> c.state() == Connection.State.OPEN && c.outSeq() == 1
                        && c.queuedMessages() == 0 && c.unackedMessages() == 0 && a.counters().get("received") == 1
                        && a.connections().stream().allMatch(x -> x.state() == Connection.State.OPEN),
                        Duration.ofSeconds(10), "the message is written, received and acknowledged");
                String text = MsgrCommands.StatusText.render(List.<Messenger>of(a, b));
                assertTrue(text.contains("messenger a  osd.0  " + addr), text);
                assertTrue(text.contains("stack posix"), text);
                assertTrue(text.contains("received=1"), text);
                assertTrue(text.contains("OPEN") && text.contains("lossless_peer"), text);
                assertTrue(text.lines().anyMatch(l -> l.contains(addr.toString()) && l.matches(".*OPEN\\s+lossless_peer\\s+1\\s+0\\s+0\\s+0.*")),
                        "b's connection: out_seq 1, in_seq 0, nothing queued or unacked\n" + text);
            } finally {
                a.shutdown();
                b.shutdown();
                assertTrue(a.awaitClosed(10, TimeUnit.SECONDS) && b.awaitClosed(10, TimeUnit.SECONDS));
            }
            assertTrue(MsgrCommands.StatusText.render(List.of()).startsWith("no messenger"));
            String refused = MsgrCommands.StatusText.render(List.<Messenger>of(a), java.util.Map.of(a, "crc='maybe' is neither true nor false"));
            assertTrue(refused.contains("configuration refused: crc='maybe' is neither true nor false"), refused);
        }
    }
}
