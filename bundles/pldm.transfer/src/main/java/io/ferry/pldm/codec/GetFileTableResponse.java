package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * IBM GetFileTable response (0x3F/0x01): {@code u8 cc, u32 next_transfer_handle, u8
 * transfer_flag, table data} where the table is a {@link FileAttributeTable} (entries, padding to
 * 4 bytes, CRC-32).
 *
 * <p>Error form: the completion code zero-padded to the 6-byte fixed part, as openbmc/pldm sends
 * it ({@code PLDM_GET_FILE_TABLE_MIN_RESP_BYTES}). libpldm's {@code decode_get_file_table_resp}
 * rejects every error response (it wants more than 6 payload bytes); this decoder accepts the
 * padded and the 1-byte cc-only forms, and on success wants at least one table byte.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetFileTableResponse extends PldmMessageFlyweight {
    /** Payload bytes before the table; also the error response's payload length. */
    public static final int FIXED_LENGTH = 6;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int NEXT_TRANSFER_HANDLE_OFFSET = 1;
    public static final int TRANSFER_FLAG_OFFSET = 5;
    public static final int TABLE_OFFSET = 6;

    public GetFileTableResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS for a success response with at least one table byte or an error response of 1 or 6
     * bytes; ERROR_INVALID_LENGTH otherwise; ERROR_INVALID_DATA for a wrong header. The table's own
     * structure and CRC are checked by {@link FileAttributeTable#validate()}.
     */
    public int validate() {
        int cc = checkHeader(false, PldmTypes.OEM);
        if (cc != CompletionCodes.SUCCESS) {
            return cc;
        }
        int payload = payloadLength();
        if (payload < 1) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (completionCode() != CompletionCodes.SUCCESS) {
            return checkErrorForm(FIXED_LENGTH);
        }
        return payload > FIXED_LENGTH ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    public long nextTransferHandle() {
        return u32(NEXT_TRANSFER_HANDLE_OFFSET);
    }

    public int transferFlag() {
        return u8(TRANSFER_FLAG_OFFSET);
    }

    /** Index in the buffer of the first table byte. */
    public int tableIndex() {
        return payloadIndex() + TABLE_OFFSET;
    }

    /** Bytes of table data (entries, padding and CRC). */
    public int tableLength() {
        return payloadLength() - FIXED_LENGTH;
    }

    /** Wraps {@code table} over this response's table data. */
    public FileAttributeTable table(FileAttributeTable table) {
        return table.wrap(buffer, tableIndex(), tableLength());
    }

    /**
     * Encodes a successful response whose {@code tableLength} table bytes the caller has already
     * placed at {@link #tableIndex()} (for example with {@link FileAttributeTable} writing there).
     */
    public int encodeInPlace(int instanceId, long nextTransferHandle, int transferFlag, int tableLength) {
        if (!fitsUnsigned(nextTransferHandle, 32) || !fitsUnsigned(transferFlag, 8) || tableLength < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        long messageLength = PAYLOAD_OFFSET + FIXED_LENGTH + (long) tableLength;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.OEM, IbmFileIoCommands.GET_FILE_TABLE);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU32(NEXT_TRANSFER_HANDLE_OFFSET, nextTransferHandle);
        putU8(TRANSFER_FLAG_OFFSET, transferFlag);
        return endEncode((int) messageLength);
    }

    /** Encodes a successful response, copying the table from {@code src}. */
    public int encode(int instanceId, long nextTransferHandle, int transferFlag, ByteBuffer src, int srcIndex,
            int tableLength) {
        if (tableLength < 0) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        if ((long) PAYLOAD_OFFSET + TABLE_OFFSET + tableLength > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        copyIntoPayload(TABLE_OFFSET, src, srcIndex, tableLength);
        return encodeInPlace(instanceId, nextTransferHandle, transferFlag, tableLength);
    }

    /** Encodes the error response: completion code, then zeros up to the 6-byte fixed part. */
    public int encodeError(int instanceId, int completionCode) {
        return encodeErrorForm(instanceId, PldmTypes.OEM, IbmFileIoCommands.GET_FILE_TABLE, completionCode,
                FIXED_LENGTH);
    }
}
