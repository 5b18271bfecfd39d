package io.ferry.messenger.tshark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.api.buffer.BufferList;
import io.ferry.api.msgr.Connection;
import io.ferry.api.msgr.EntityAddress;
import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Message;
import io.ferry.api.msgr.Policy;
import io.ferry.messenger.internal.AsyncMessenger;
import io.ferry.messenger.internal.MessengerSettings;
import io.ferry.messenger.testing.Inbox;
import io.ferry.messenger.testing.PcapWriter;
import io.ferry.messenger.testing.PosixStack;
import io.ferry.messenger.testing.RecordingStack;
import io.ferry.testkit.EventLoops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Ferry-to-Ferry msgr v1 session, recorded at the client's sockets and written as a pcap, decoded
 * by Wireshark's own Ceph dissector (tshark): connect, connect reply, messages both ways, acks,
 * keepalives, and no malformed frame. Skips loudly only when tshark cannot be installed.
 */
class TsharkCephDissectorTest {
    private static final Logger LOG = LoggerFactory.getLogger(TsharkCephDissectorTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TYPE_PING = Message.TYPE_PING;
    /** CEPH_MSG_STATFS has a dissector with a front the test can fill correctly; ping is empty. */
    private static final int TYPE_DATA = 0x7002;

    @Test
    void tsharkShouldDecodeAFerrySessionWithoutMalformedFrames() throws Exception {
        String why = tsharkUnavailable();
        if (why != null) {
            LOG.warn("WARN: SKIPPING the tshark Ceph dissector test: {}", why);
            System.err.println("WARN: SKIPPING the tshark Ceph dissector test: " + why);
        }
        Assumptions.assumeTrue(why == null, "tshark unavailable: " + why);

        // under target/, so the capture stays for a look after the build and goes with mvn clean
        Path dir = Files.createDirectories(Path.of("target", "tshark"));
        try (PosixStack posix = new PosixStack("msgr-tshark", 2)) {
            RecordingStack recording = new RecordingStack(posix.stack());
            AsyncMessenger server = new AsyncMessenger(posix.stack(), MessengerSettings.defaults("server", EntityName.osd(0)));
            AsyncMessenger client = new AsyncMessenger(recording,
                    MessengerSettings.defaults("client", EntityName.client(7)));
            try {
                server.setPolicy(EntityName.TYPE_CLIENT, Policy.statefulServer());
                Inbox serverInbox = new Inbox(-1);
                server.addDispatcher((conn, m) -> {
                    serverInbox.dispatch(conn, m);
                    if (m.type() == TYPE_DATA) {
                        return true;
                    }
                    conn.send(new Message(TYPE_PING));
                    return true;
                });
                EntityAddress addr = server.bind(new InetSocketAddress("127.0.0.1", 0));
                Inbox clientInbox = new Inbox(-1);
                client.addDispatcher(clientInbox);
                Connection c = client.connect(addr, EntityName.TYPE_OSD, Policy.losslessClient());
                for (int i = 0; i < 3; i++) {
                    c.send(new Message(TYPE_PING));
                    clientInbox.next(WAIT);
                }
                c.send(new Message(TYPE_DATA, BufferList.ofUtf8("front"), BufferList.ofUtf8("middle"),
                        BufferList.wrap(new byte[5000])).tid(42));
                serverInbox.next(WAIT);
                c.sendKeepalive();
                EventLoops.awaitCondition(() -> c.lastKeepaliveAckNanos() != 0, WAIT, "keepalive ack");
                EventLoops.awaitCondition(() -> c.unackedMessages() == 0, WAIT, "acks");
            } finally {
                client.shutdown();
                server.shutdown();
                client.awaitClosed(10, TimeUnit.SECONDS);
                server.awaitClosed(10, TimeUnit.SECONDS);
            }
            Path pcap = dir.resolve("ferry-msgr-v1.pcap");
            InetSocketAddress serverAddr = (InetSocketAddress) recording.serverAddress();
            new PcapWriter((InetSocketAddress) recording.clientAddress(), serverAddr).write(pcap, recording.chunks());

            // tshark 4.0's Ceph dissector is a heuristic one on TCP (it recognises the banner), so no
            // "-d tcp.port==N,ceph" is needed (nor accepted)
            String verbose = run("tshark", "-r", pcap.toString(), "-V");
            String malformed = run("tshark", "-r", pcap.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= error");
            String summary = run("tshark", "-r", pcap.toString(), "-Y", "ceph");
            LOG.info("tshark decoded the session (port {}):\n{}", serverAddr.getPort(), summary);
            if (Boolean.getBoolean("ferry.tshark.print")) {
                System.out.println(verbose);
            }
            assertEquals("", malformed.trim(), "no malformed frame and no error");
            List<String> required = List.of("Connection Negotiation\n", "Connection Negotiation Reply",
                    "Tag: 64-bit int follows with seen seq number (0x0d)", "Tag: message (0x07)",
                    "Tag: message ack (0x08)", "Tag: keepalive2 (0x0e)", "Tag: keepalive2 reply (0x0f)",
                    "Front Size: 5", "Middle Size: 6", "Data Size: 5000", "From: client7",
                    "NOSRCADDR, RECONNECT_SEQ");
            List<String> missing = new ArrayList<>();
            for (String s : required) {
                if (!verbose.contains(s)) {
                    missing.add(s.trim());
                }
            }
            assertTrue(missing.isEmpty(), "tshark -V lacks " + missing + "\n" + verbose.substring(0, Math.min(6000,
                    verbose.length())));
        }
    }

    private static String tsharkUnavailable() {
        if (Files.isExecutable(Path.of("/usr/bin/tshark"))) {
            return null;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder("apt-get", "install", "-y", "--no-install-recommends", "tshark")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "apt-get install tshark did not finish within 10 minutes";
            }
            if (p.exitValue() != 0) {
                return "apt-get install tshark failed with exit code " + p.exitValue();
            }
        } catch (IOException e) {
            return "tshark is not installed and apt-get could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while installing tshark";
        }
        return Files.isExecutable(Path.of("/usr/bin/tshark")) ? null : "tshark still missing after apt-get install";
    }

    private static String run(String... command) throws Exception {
        Path err = Files.createTempFile("ferry-tshark-", ".err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish within 60 s");
        }
        String errors = Files.readString(err);
        Files.deleteIfExists(err);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + errors);
        return new String(out, StandardCharsets.UTF_8);
    }
}
