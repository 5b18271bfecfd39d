package io.ferry.pldm.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Error responses in exactly the form libpldm-based peers expect, for any type and command.
 *
 * <p>DSP0240 lets an error response carry just the completion code, and that is what libpldm's
 * {@code encode_cc_only_resp} and openbmc/pldm send for unknown types and commands and for the
 * base and DSP0242 commands. The IBM file I/O responses are different (the vectors' README): their
 * libpldm decoders want the fixed response size, so openbmc/pldm zero-pads the error response to
 * it — 5 bytes ({@code cc, u32 length = 0}) for ReadFile, WriteFile, the four memory commands,
 * ReadFileByType and WriteFileByType; 6 bytes ({@code cc, u32 next handle = 0, u8 flag = 0}) for
 * GetFileTable. NewFileAvailable, FileAck and their metadata variants have 1-byte responses anyway.
 *
 * <p>Stateless: any thread may call it; it allocates nothing.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    /** Payload bytes of the error response to {@code (pldmType, command)}: 1, 5 or 6. */
    public static int errorPayloadLength(int pldmType, int command) {
        if (pldmType == PldmTypes.OEM) {
            if (command == IbmFileIoCommands.GET_FILE_TABLE) {
                return GetFileTableResponse.FIXED_LENGTH;
            }
            if (FileLengthResponse.isCommand(command)) {
                return FileLengthResponse.FIXED_LENGTH;
            }
        }
        return 1;
    }

    /**
     * Writes the error response for {@code (instanceId, pldmType, command)} with {@code
     * completionCode} at {@code index}: response header, completion code, zero padding.
     *
     * @return the message length, {@link PldmCodec#INSUFFICIENT_CAPACITY}, or
     *         {@link PldmCodec#INVALID_ARGUMENT} for SUCCESS, a code above 0xFF or a header field out
     *         of range
     * @throws IndexOutOfBoundsException if the region is not inside the buffer's limit
     */
    public static int encode(ByteBuffer buffer, int index, int capacity, int instanceId, int pldmType, int command,
            int completionCode) {
        Objects.checkFromIndexSize(index, capacity, buffer.limit());
        if (completionCode <= CompletionCodes.SUCCESS || completionCode > 0xFF) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int payload = errorPayloadLength(pldmType, command);
        int messageLength = PldmHeader.LENGTH + payload;
        if (messageLength > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        int rc = PldmHeader.putResponse(buffer, index, instanceId, pldmType, command);
        if (rc < 0) {
            return rc;
        }
        buffer.put(index + PldmHeader.LENGTH, (byte) completionCode);
        LittleEndian.zero(buffer, index + PldmHeader.LENGTH + 1, payload - 1);
        return messageLength;
    }

    /**
     * Writes the error response to the request whose header is at {@code requestIndex} (instance
     * id, type and command taken from it). The request needs at least its 3 header bytes.
     */
    public static int encodeFor(ByteBuffer request, int requestIndex, ByteBuffer out, int outIndex, int capacity,
            int completionCode) {
        return encode(out, outIndex, capacity, PldmHeader.instanceId(request, requestIndex),
                PldmHeader.pldmType(request, requestIndex), PldmHeader.command(request, requestIndex), completionCode);
    }
}
