package io.ferry.pldm.mctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileLengthResponse;
import io.ferry.pldm.codec.GetTidResponse;
import io.ferry.pldm.codec.IbmFileIoCommands;
import io.ferry.pldm.codec.PldmHeader;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.codec.ReadWriteFileByTypeRequest;
import io.ferry.unix.Unix;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A requester in a separate JVM ({@link MctpChildRequester}) talks to an {@link MctpDemuxServer}
 * over the abstract mctp-demux socket, as a libpldm-based tool would: GetTID and ReadFileByType.
 */
class MctpSeparateProcessTest {
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Unix.isAvailable(), Unix::unavailableReason);
    }

    @Test
    void shouldAnswerGetTidAndReadFileByTypeFromARequesterInAnotherProcess() throws Exception {
        String name = RawDemuxPeer.uniqueName("child");
        List<String> handled = new CopyOnWriteArrayList<>();
        ReadWriteFileByTypeRequest read = new ReadWriteFileByTypeRequest();
        FileLengthResponse fileResponse = new FileLengthResponse();
        GetTidResponse tidResponse = new GetTidResponse();
        ByteBuffer out = ByteBuffer.allocateDirect(4096);
        ByteBuffer data = ByteBuffer.allocate(4096);
        MctpReceiver responder = (from, eid, message) -> {
            int at = message.position();
            int type = PldmHeader.pldmType(message, at);
            int command = PldmHeader.command(message, at);
            int instance = PldmHeader.instanceId(message, at);
            int length;
            out.clear();
            if (type == PldmTypes.BASE && command == 0x02) {
                length = tidResponse.wrap(out, 0, out.capacity()).encode(instance, CompletionCodes.SUCCESS, 0x42);
            } else if (type == PldmTypes.OEM && command == IbmFileIoCommands.READ_FILE_BY_TYPE) {
                read.wrap(message, at, message.remaining());
                if (read.validate() != CompletionCodes.SUCCESS) {
                    throw new AssertionError("invalid ReadFileByType");
                }
                handled.add("ReadFileByType type " + read.fileType() + " handle " + read.fileHandle() + " offset "
                        + read.fileOffset() + " length " + read.length());
                for (int i = 0; i < read.length(); i++) {
                    data.put(i, MctpChildRequester.fileByte(read.fileOffset() + i));
                }
                length = fileResponse.wrap(out, 0, out.capacity())
                        .encodeWithData(instance, command, data, 0, (int) read.length());
            } else {
                throw new AssertionError("unexpected PLDM type " + type + " command " + command);
            }
            handled.add("eid " + eid + " type " + type + " command " + command);
            out.clear().limit(length);
            int rc = from.send(eid, out);
            if (rc != MctpTransport.OK) {
                throw new AssertionError("send: " + MctpTransport.describe(rc));
            }
        };

        Process child = null;
        try (MctpLoop loop = new MctpLoop("mctp-demux-node")) {
            MctpDemuxServer server = new MctpDemuxServer(MctpConfig.defaults().withSocketName(name), responder);
            server.start(loop.center());
            try {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
                child = new ProcessBuilder(List.of(java, "-cp", classPath, MctpChildRequester.class.getName(), name))
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                assertTrue(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "child finished in time");
                assertEquals(0, child.exitValue(), "child's checks (exit code names the failed one)");
                assertEquals(List.of("eid 8 type 0 command 2",
                        "ReadFileByType type 0 handle 7 offset 32 length 100", "eid 8 type 63 command 11"), handled);
                assertEquals(2, server.counters().received());
                assertEquals(2, server.counters().sent());
            } finally {
                server.close();
                server.closeFuture().get(MctpLoop.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
