package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * The IBM file I/O response {@code u8 cc, u32 length} shared by ReadFile (0x04), WriteFile (0x05),
 * ReadFileIntoMemory (0x06), WriteFileFromMemory (0x07), ReadFileByTypeIntoMemory (0x08),
 * WriteFileByTypeFromMemory (0x09), ReadFileByType (0x0B) and WriteFileByType (0x0C). For ReadFile
 * and ReadFileByType the {@code length} bytes of file data follow.
 *
 * <p>Error form (libpldm quirk, see the vectors' README): the completion code followed by a zero
 * length field — the 5-byte fixed size — because libpldm's response decoders want exactly 5 bytes
 * and reject a cc-only response; openbmc/pldm pads the same way. {@link #encode} writes that form
 * for any completion code but SUCCESS. This decoder accepts both the padded and the cc-only error
 * forms.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class FileLengthResponse extends PldmMessageFlyweight {
    /** Payload bytes before any file data; the error response's payload length. */
    public static final int FIXED_LENGTH = 5;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int LENGTH_OFFSET = 1;
    public static final int DATA_OFFSET = 5;

    public FileLengthResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS when, on success, the payload is 5 bytes plus (ReadFile, ReadFileByType) the
     * {@code length} data bytes, or on error 1 or 5 bytes; ERROR_INVALID_LENGTH otherwise;
     * ERROR_INVALID_DATA for a wrong header or a command without this response.
     */
    public int validate() {
        int cc = checkHeader(false, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int command = command();
        if (!isCommand(command)) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        int payload = payloadLength();
        if (payload < 1) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (completionCode() != CompletionCodes.SUCCESS) {
            return checkErrorForm(FIXED_LENGTH);
        }
        if (payload < FIXED_LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        long expected = FIXED_LENGTH + (carriesData(command) ? length() : 0);
        return payload == expected ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    /** Bytes read or written (0 in a padded error response). */
    public long length() {
        return u32(LENGTH_OFFSET);
    }

    /** Index in the buffer of the first file data byte (ReadFile, ReadFileByType). */
    public int dataIndex() {
        return payloadIndex() + DATA_OFFSET;
    }

    /** Whether responses to this command carry file data after the length. */
    public static boolean carriesData(int command) {
        return command == IbmFileIoCommands.READ_FILE || command == IbmFileIoCommands.READ_FILE_BY_TYPE;
    }

    /** Whether this command is answered with this response layout. */
    public static boolean isCommand(int command) {
        switch (command) {
            case IbmFileIoCommands.READ_FILE:
            case IbmFileIoCommands.WRITE_FILE:
            case IbmFileIoCommands.READ_FILE_INTO_MEMORY:
            case IbmFileIoCommands.WRITE_FILE_FROM_MEMORY:
            case IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY:
            case IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY:
            case IbmFileIoCommands.READ_FILE_BY_TYPE:
            case IbmFileIoCommands.WRITE_FILE_BY_TYPE:
                return true;
            default:
                return false;
        }
    }

    /**
     * Encodes the response to {@code command}. On success writes {@code cc, length}; for ReadFile
     * and ReadFileByType the message also spans the {@code length} data bytes, which the caller
     * places at {@link #dataIndex()} (before or after this call). On error writes the completion
     * code and a zero length (5-byte payload) and ignores {@code length}.
     */
    public int encode(int instanceId, int command, int completionCode, long length) {
        if (!isCommand(command)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.OEM, command, completionCode, FIXED_LENGTH);
        }
        if (!fitsUnsigned(length, 32)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        long messageLength = PAYLOAD_OFFSET + FIXED_LENGTH + (carriesData(command) ? length : 0);
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.OEM, command);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU32(LENGTH_OFFSET, length);
        return endEncode((int) messageLength);
    }

    /** Encodes a successful ReadFile / ReadFileByType response, copying {@code length} data bytes from {@code src}. */
    public int encodeWithData(int instanceId, int command, ByteBuffer src, int srcIndex, int length) {
        if (!carriesData(command) || length < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        if ((long) PAYLOAD_OFFSET + DATA_OFFSET + length > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        copyIntoPayload(DATA_OFFSET, src, srcIndex, length);
        return encode(instanceId, command, CompletionCodes.SUCCESS, length);
    }
}
