package io.ferry.pldm.mctp;

import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileLengthResponse;
import io.ferry.pldm.codec.IbmFileIoCommands;
import io.ferry.pldm.codec.IbmFileTypes;
import io.ferry.pldm.codec.PldmHeader;
import io.ferry.pldm.codec.ReadWriteFileByTypeRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The child JVM of {@link MctpSeparateProcessTest}: a libpldm-style requester on the mctp-demux
 * socket named {@code args[0]}. It registers for PLDM (type byte 1), sends GetTID to eid 8 and a
 * ReadFileByType (encoded with io.ferry.pldm.codec), and checks both responses byte for byte and
 * field by field: the source eid, the type byte, the PLDM header and the data pattern. Every wait
 * is bounded (libpldm's requester gives up after 4.8 s; this one after 4.8 s per response too).
 * Exits 0 on success, non-zero with a message on stderr otherwise.
 */
public final class MctpChildRequester {
    static final int FILE_HANDLE = 7;
    static final int FILE_OFFSET = 32;
    static final int LENGTH = 100;
    private static final long PT2MAX_MILLIS = 4_800;

    private MctpChildRequester() {
    }

    /** The data the test's responder returns: byte i of the file is (i * 7) & 0xFF. */
    static byte fileByte(long index) {
        return (byte) (index * 7);
    }

    public static void main(String[] args) throws Exception {
        try (RawDemuxPeer peer = RawDemuxPeer.register(args[0], 1)) {
            peer.sendPldm(8, RawDemuxPeer.bytes(0x80, 0x00, 0x02));
            expect(Arrays.equals(RawDemuxPeer.bytes(0x08, 0x01, 0x00, 0x00, 0x02, 0x00, 0x42), peer.receive(PT2MAX_MILLIS)),
                    1, "GetTID response");

            ByteBuffer request = ByteBuffer.allocate(64);
            int length = new ReadWriteFileByTypeRequest().wrap(request, 0, request.capacity())
                    .encodeReadFileByType(3, IbmFileTypes.PEL, FILE_HANDLE, FILE_OFFSET, LENGTH);
            expect(length == 17, 2, "encoded ReadFileByType of " + length + " bytes");
            peer.sendPldm(8, Arrays.copyOf(request.array(), length));

            byte[] packet = peer.receive(PT2MAX_MILLIS);
            expect(packet.length == 2 + 3 + FileLengthResponse.FIXED_LENGTH + LENGTH, 3, "response of " + packet.length + " bytes");
            expect(packet[0] == 8 && packet[1] == 1, 4, "prefix " + RawDemuxPeer.hex(Arrays.copyOf(packet, 2)));
            ByteBuffer message = ByteBuffer.wrap(packet, 2, packet.length - 2).slice();
            FileLengthResponse response = new FileLengthResponse().wrap(message, 0, message.capacity());
            expect(response.validate() == CompletionCodes.SUCCESS, 5, "response validates");
            expect(!PldmHeader.isRequest(message, 0) && PldmHeader.instanceId(message, 0) == 3
                    && response.command() == IbmFileIoCommands.READ_FILE_BY_TYPE, 6, "response header");
            expect(response.completionCode() == CompletionCodes.SUCCESS && response.length() == LENGTH, 7,
                    "cc " + response.completionCode() + " length " + response.length());
            for (int i = 0; i < LENGTH; i++) {
                expect(message.get(response.dataIndex() + i) == fileByte(FILE_OFFSET + i), 8, "data byte " + i);
            }
            System.out.println("child: GetTID and ReadFileByType answered correctly");
        }
    }

    private static void expect(boolean condition, int exitCode, String what) {
        if (!condition) {
            System.err.println("child: wrong " + what);
            System.exit(exitCode);
        }
    }
}
