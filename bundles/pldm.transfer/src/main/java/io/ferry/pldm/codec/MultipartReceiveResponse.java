package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * MultipartReceive response (base 0x09): {@code u8 cc, u8 transfer_flag, u32
 * next_data_transfer_handle, u32 data_length, u8 data[data_length], u32 data_integrity_checksum}
 * — the checksum (CRC-32 of the data) is absent when the flag is
 * {@link TransferFlags#ACKNOWLEDGE_COMPLETION}. On error the completion code alone.
 *
 * <p>libpldm's encoder also omits the checksum when {@code data_length} is 0 while its decoder
 * still expects it; this decoder accepts both for an empty part, and this encoder writes the
 * checksum (the CRC-32 of nothing, 0) unless the flag is ACKNOWLEDGE_COMPLETION.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class MultipartReceiveResponse extends PldmMessageFlyweight {
    /** Payload bytes before the data. */
    public static final int FIXED_LENGTH = 10;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int TRANSFER_FLAG_OFFSET = 1;
    public static final int NEXT_TRANSFER_HANDLE_OFFSET = 2;
    public static final int DATA_LENGTH_OFFSET = 6;
    public static final int DATA_OFFSET = 10;

    public MultipartReceiveResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS when the payload is exactly fixed part + data_length + checksum (if present) on
     * success, or the completion code alone on error; ERROR_INVALID_LENGTH otherwise
     * (a data_length that lies about the payload included); ERROR_INVALID_DATA for a wrong header.
     * The checksum is not compared here: see {@link #checksumMatches()}.
     */
    public int validate() {
        int cc = checkHeader(false, PldmTypes.BASE);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int payload = payloadLength();
        if (payload < 1) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (completionCode() != CompletionCodes.SUCCESS) {
            return payload == 1 ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (payload < FIXED_LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        long expected = FIXED_LENGTH + dataLength();
        if (payload == expected && (transferFlag() == TransferFlags.ACKNOWLEDGE_COMPLETION || dataLength() == 0)) {
            return CompletionCodes.SUCCESS;
        }
        if (transferFlag() != TransferFlags.ACKNOWLEDGE_COMPLETION && payload == expected + 4) {
            return CompletionCodes.SUCCESS;
        }
        return CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    public int transferFlag() {
        return u8(TRANSFER_FLAG_OFFSET);
    }

    public long nextTransferHandle() {
        return u32(NEXT_TRANSFER_HANDLE_OFFSET);
    }

    public long dataLength() {
        return u32(DATA_LENGTH_OFFSET);
    }

    /** Index in the buffer of the first data byte. */
    public int dataIndex() {
        return payloadIndex() + DATA_OFFSET;
    }

    /** Whether the message carries a checksum after the data. */
    public boolean hasChecksum() {
        return payloadLength() == FIXED_LENGTH + dataLength() + 4;
    }

    /** The carried checksum (only when {@link #hasChecksum()}). */
    public long checksum() {
        return u32(DATA_OFFSET + (int) dataLength());
    }

    /** Whether the carried checksum is the CRC-32 of the data (true when there is no checksum to check). */
    public boolean checksumMatches() {
        return !hasChecksum() || checksum() == Crc32.compute(buffer, dataIndex(), (int) dataLength());
    }

    /**
     * Encodes a successful part whose {@code dataLength} bytes the caller has already placed at
     * {@link #dataIndex()} (wrap first, write the data, then encode); computes the checksum.
     */
    public int encodeInPlace(int instanceId, int transferFlag, long nextTransferHandle, int dataLength) {
        if (!fitsUnsigned(transferFlag, 8) || !fitsUnsigned(nextTransferHandle, 32) || dataLength < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        boolean checksum = transferFlag != TransferFlags.ACKNOWLEDGE_COMPLETION;
        long messageLength = PAYLOAD_OFFSET + FIXED_LENGTH + (long) dataLength + (checksum ? 4 : 0);
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.BASE, BaseCommands.MULTIPART_RECEIVE);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU8(TRANSFER_FLAG_OFFSET, transferFlag);
        putU32(NEXT_TRANSFER_HANDLE_OFFSET, nextTransferHandle);
        putU32(DATA_LENGTH_OFFSET, dataLength);
        if (checksum) {
            putU32(DATA_OFFSET + dataLength, Crc32.compute(buffer, dataIndex(), dataLength));
        }
        return endEncode((int) messageLength);
    }

    /** Encodes a successful part, copying {@code dataLength} bytes from {@code src} at {@code srcIndex}. */
    public int encode(int instanceId, int transferFlag, long nextTransferHandle, ByteBuffer src, int srcIndex,
            int dataLength) {
        if (dataLength < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        if ((long) PAYLOAD_OFFSET + DATA_OFFSET + dataLength > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        copyIntoPayload(DATA_OFFSET, src, srcIndex, dataLength);
        return encodeInPlace(instanceId, transferFlag, nextTransferHandle, dataLength);
    }

    /** Encodes the cc-only error response. */
    public int encodeError(int instanceId, int completionCode) {
        return encodeErrorForm(instanceId, PldmTypes.BASE, BaseCommands.MULTIPART_RECEIVE, completionCode, 1);
    }
}
