package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * GetPLDMCommands response (base 0x05): {@code u8 cc, bitfield8[32] commands}; bit {@code c % 8}
 * of byte {@code c / 8} set means command {@code c} is supported. Exposed as four {@code long}
 * words read little-endian: bit {@code c % 64} of word {@code c / 64} is command {@code c}. On
 * error the completion code alone.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetPldmCommandsResponse extends PldmMessageFlyweight {
    public static final int PAYLOAD_LENGTH = 33;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int COMMANDS_OFFSET = 1;
    /** Number of 64-bit words in the command bitfield. */
    public static final int COMMAND_WORDS = 4;

    public GetPldmCommandsResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /** Checks header and length; see {@link PldmMessageFlyweight#checkFixedResponse}. */
    public int validate() {
        int cc = checkHeader(false, PldmTypes.BASE);
        return cc != CompletionCodes.SUCCESS ? cc : checkFixedResponse(PAYLOAD_LENGTH);
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    /** Word {@code i} (0..3) of the command bitfield: bit {@code b} is command {@code 64 i + b}. */
    public long commandWord(int i) {
        return u64(COMMANDS_OFFSET + 8 * i);
    }

    public boolean supportsCommand(int command) {
        return command >= 0 && command < 256 && (commandWord(command >>> 6) >>> (command & 63) & 1L) != 0;
    }

    /**
     * Encodes the response from four bitfield words (bit {@code c % 64} of word {@code c / 64} for
     * command {@code c}); cc-only on error.
     */
    public int encode(int instanceId, int completionCode, long word0, long word1, long word2, long word3) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_COMMANDS, completionCode, 1);
        }
        int messageLength = PAYLOAD_OFFSET + PAYLOAD_LENGTH;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_COMMANDS);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU64(COMMANDS_OFFSET, word0);
        putU64(COMMANDS_OFFSET + 8, word1);
        putU64(COMMANDS_OFFSET + 16, word2);
        putU64(COMMANDS_OFFSET + 24, word3);
        return endEncode(messageLength);
    }
}
