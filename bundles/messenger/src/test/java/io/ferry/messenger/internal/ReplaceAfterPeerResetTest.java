package io.ferry.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Policy;
import io.ferry.messenger.testing.Inbox;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.messenger.wire.ConnectMessage;
import io.ferry.messenger.wire.ConnectReply;
import io.ferry.messenger.wire.Crc32c;
import io.ferry.messenger.wire.EntityAddrCodec;
import io.ferry.messenger.wire.MessageFooter;
import io.ferry.messenger.wire.MessageHeader;
import io.ferry.messenger.wire.Msgr;
import io.ferry.testkit.EventLoops;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression for the duplicate delivery in the equal-connect_seq race
 * ({@code FaultInjectionTest#peersReconnectingAtOnceWithEqualConnectSeqShouldSettleEveryTime}, "in
 * order, exactly once: expected 101 but was 96"): a stale connect attempt with connect_seq 0 (sent
 * by the peer before its session opened another way) made the session adopt it as a peer reset;
 * that socket died before the accept finished, and the "peer reset" mark survived the fault. The
 * next ordinary replace then opened with READY instead of the SEQ exchange and forgot in_seq, so
 * the peer's resent, unacknowledged messages were delivered a second time. Ceph clears
 * {@code is_reset_from_peer} in {@code fault()}; so do we, and each replace decides it afresh.
 *
 * <p>The peer is played over plain blocking sockets (every read bounded by a timeout), so each
 * step of the sequence happens in a fixed order.
 */
class ReplaceAfterPeerResetTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TYPE_TEST = 0x7202;
    private static final int SERVER_HELLO = Msgr.BANNER.length + 2 * Msgr.ENTITY_ADDR_SIZE;

    private PosixStack posix;
    private AsyncMessenger messenger;
    private ServerSocket peerListener;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        posix = new PosixStack("msgr-replace", 2);
        // the peer's own address: were the session to reconnect, it would reach a listener that never answers
        peerListener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (messenger != null) {
                messenger.shutdown();
                assertTrue(messenger.awaitClosed(10, TimeUnit.SECONDS), "connections closed");
                assertEquals(0, messenger.messagesHeld(), "no received message left unreleased");
            }
            for (Socket s : sockets) {
                s.close();
            }
            peerListener.close();
            EventLoops.awaitCondition(() -> posix.openSockets() == 0, WAIT, "every socket closed");
        } finally {
            posix.close();
        }
    }

    @Test
    void replaceAfterAnInterruptedPeerResetShouldKeepInSeqAndDeliverNothingTwice() throws Exception {
        messenger = new AsyncMessenger(posix.stack(), MessengerSettings.defaults("m", EntityName.osd(1)));
        messenger.setPolicy(EntityName.TYPE_OSD, Policy.losslessPeer());
        messenger.bind(new InetSocketAddress("127.0.0.1", 0));
        Inbox inbox = new Inbox(TYPE_TEST);
        messenger.addDispatcher(inbox);
        EntityAddress me = new EntityAddress(4242, new InetSocketAddress("127.0.0.1", peerListener.getLocalPort()));

        // 1. a session opens and the peer delivers messages 1..5
        Socket first = dial();
        ConnectReply r = handshake(first, me, 1, 0);
        assertEquals(Msgr.TAG_SEQ, r.tag(), "a new session starts with the SEQ exchange");
        assertEquals(0, readLong(first), "nothing received yet");
        send(first, new byte[8]); // our in_seq: nothing received either
        for (int seq = 1; seq <= 5; seq++) {
            send(first, message(seq));
        }
        for (int seq = 1; seq <= 5; seq++) {
            assertEquals(seq, inbox.next(WAIT).tid());
        }
        Connection session = messenger.lookup(me);
        EventLoops.awaitCondition(() -> session.inSeq() == 5, WAIT, "in_seq 5");
        int csOpen = session.connectSeq();

        // 2. a stale attempt with connect_seq 0 arrives: taken as a peer reset, the session adopts it
        Socket stale = dial();
        r = handshake(stale, me, 2, 0);
        assertEquals(Msgr.TAG_RETRY_GLOBAL, r.tag(), "the replaced session asks for a new global_seq");
        // ... and that socket dies before the accept completes (the peer had closed it long ago)
        stale.setSoLinger(true, 0);
        stale.close();
        first.close();
        // the session faults; a lossless peer with nothing to send waits in standby
        EventLoops.awaitCondition(() -> session.state() == Connection.State.STANDBY, WAIT, "the session in standby");
        assertEquals(csOpen, session.connectSeq());

        // 3. the peer's real reconnect replaces the session: it must open with SEQ and keep in_seq 5
        Socket next = dial();
        r = handshake(next, me, 3, 100);
        assertEquals(Msgr.TAG_RETRY_GLOBAL, r.tag(), "replace: RETRY_GLOBAL first");
        send(next, connect(r.globalSeq() + 1, 100));
        r = readReply(next);
        assertEquals(Msgr.TAG_SEQ, r.tag(), "an ordinary replace opens with the SEQ exchange (not READY, which forgets in_seq)");
        assertEquals(5, readLong(next), "the session still knows what it received");
        send(next, new byte[8]);
        // the peer resends what it could not know was received, then something new: only the new one arrives
        send(next, message(5));
        send(next, message(6));
        Inbox.Received got = inbox.next(WAIT);
        assertEquals(6, got.tid(), "message 5 is not delivered twice");
        EventLoops.awaitCondition(() -> messenger.counters().oldDiscarded.sum() == 1, WAIT, "the resent 5 discarded as old");
        assertEquals(0, inbox.messages.size(), "nothing else delivered");
        assertEquals(6, messenger.lookup(me).inSeq());
    }

    // ------------------------------------------------------------------ the raw peer

    private Socket dial() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(messenger.myAddress().address(), 5000);
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    /** Reads the server's hello, sends banner + our address + a connect message, reads the reply. */
    private ConnectReply handshake(Socket s, EntityAddress me, int globalSeq, int connectSeq) throws IOException {
        byte[] hello = s.getInputStream().readNBytes(SERVER_HELLO);
        assertEquals(SERVER_HELLO, hello.length, "server hello");
        send(s, Msgr.BANNER, EntityAddrCodec.encode(me), connect(globalSeq, connectSeq));
        return readReply(s);
    }

    private static byte[] connect(int globalSeq, int connectSeq) {
        byte[] b = new byte[Msgr.CONNECT_SIZE];
        new ConnectMessage().wrap(ByteBuffer.wrap(b), 0).features(Policy.DEFAULT_FEATURES).hostType(EntityName.TYPE_OSD)
                .globalSeq(globalSeq).connectSeq(connectSeq)
                .protocolVersion(Msgr.protocolVersion(EntityName.TYPE_OSD, EntityName.TYPE_OSD, true))
                .authorizerProtocol(Msgr.AUTH_NONE).authorizerLen(0).flags(0);
        return b;
    }

    private static ConnectReply readReply(Socket s) throws IOException {
        byte[] reply = s.getInputStream().readNBytes(Msgr.CONNECT_REPLY_SIZE);
        assertEquals(Msgr.CONNECT_REPLY_SIZE, reply.length, "connect reply");
        ConnectReply r = new ConnectReply().wrap(ByteBuffer.wrap(reply), 0);
        assertEquals(0, r.authorizerLen());
        return r;
    }

    private static long readLong(Socket s) throws IOException {
        byte[] b = s.getInputStream().readNBytes(8);
        assertEquals(8, b.length);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** TAG_MSG + header (seq = tid = {@code seq}) + front "seq" + footer with MSG_AUTH. */
    private static byte[] message(long seq) {
        byte[] front = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[1 + Msgr.HEADER_SIZE + front.length + Msgr.FOOTER_SIZE];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        all[0] = (byte) Msgr.TAG_MSG;
        new MessageHeader().wrap(b, 1).seq(seq).tid(seq).type(TYPE_TEST).priority(127).version(1).frontLen(front.length)
                .middleLen(0).dataLen(0).dataOff(0).src(EntityName.TYPE_OSD, 2).compatVersion(1).reserved(0).sealCrc();
        System.arraycopy(front, 0, all, 1 + Msgr.HEADER_SIZE, front.length);
        MessageFooter.encode(b, 1 + Msgr.HEADER_SIZE + front.length, true, Crc32c.compute(0, front, 0, front.length), 0, 0,
                Msgr.FOOTER_COMPLETE);
        return all;
    }

    private static void send(Socket s, byte[]... parts) throws IOException {
        OutputStream out = s.getOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        out.flush();
    }
}
