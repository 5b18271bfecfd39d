package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * GetPLDMVersion response (base 0x03): {@code u8 cc, u32 next_transfer_handle, u8 transfer_flag,
 * ver32 version[n]}, then — in the DSP0240 form — a {@code u32} CRC-32 over the version bytes.
 *
 * <p>Two forms exist on the wire, both in the golden vectors:
 * <ul>
 *   <li>libpldm's {@code encode_get_version_resp} form: one version, <em>no</em> CRC (10-byte
 *       payload);</li>
 *   <li>the DSP0240 form: versions followed by their CRC-32 (14 bytes for one version).</li>
 * </ul>
 * Decoding tells them apart by length: a 10-byte payload is the libpldm form; any longer payload
 * must be {@code 6 + 4n + 4} bytes ({@code n >= 1} versions and the CRC), and
 * {@link #crcMatches()} says whether the CRC is right. On error the completion code alone (what
 * this encoder and openbmc/pldm send) or zero-padded to 10 bytes.
 *
 * <p>Not thread-safe: one thread at a time (see {@link PldmMessageFlyweight}).
 */
public final class GetPldmVersionResponse extends PldmMessageFlyweight {
    /** Payload of the libpldm form (one version, no CRC). */
    public static final int PAYLOAD_LENGTH_NO_CRC = 10;
    /** Payload of the DSP0240 form with one version and its CRC. */
    public static final int PAYLOAD_LENGTH_WITH_CRC = 14;
    public static final int COMPLETION_CODE_OFFSET = 0;
    public static final int NEXT_TRANSFER_HANDLE_OFFSET = 1;
    public static final int TRANSFER_FLAG_OFFSET = 5;
    public static final int VERSION_OFFSET = 6;
    static final int FIXED_LENGTH = 6;

    public GetPldmVersionResponse wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * SUCCESS for a well-formed response in either form (or cc-only on error),
     * ERROR_INVALID_LENGTH otherwise, ERROR_INVALID_DATA for a wrong header. The CRC is not checked
     * here: see {@link #crcMatches()}.
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
            return checkErrorForm(PAYLOAD_LENGTH_NO_CRC);
        }
        if (payload == PAYLOAD_LENGTH_NO_CRC) {
            return CompletionCodes.SUCCESS;
        }
        return payload >= PAYLOAD_LENGTH_WITH_CRC && (payload - FIXED_LENGTH) % 4 == 0
                ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    public int completionCode() {
        return u8(COMPLETION_CODE_OFFSET);
    }

    public long nextTransferHandle() {
        return u32(NEXT_TRANSFER_HANDLE_OFFSET);
    }

    /** {@link TransferFlags#START_AND_END} and friends. */
    public int transferFlag() {
        return u8(TRANSFER_FLAG_OFFSET);
    }

    /** Whether the response carries the DSP0240 CRC-32 (any form but the 10-byte libpldm one). */
    public boolean hasCrc() {
        return payloadLength() != PAYLOAD_LENGTH_NO_CRC;
    }

    /** Number of ver32 entries. */
    public int versionCount() {
        return (payloadLength() - FIXED_LENGTH - (hasCrc() ? 4 : 0)) / 4;
    }

    /** The first version ({@link Ver32} layout: major in the top byte). */
    public int version() {
        return version(0);
    }

    /** Version {@code i} (0-based, below {@link #versionCount()}). */
    public int version(int i) {
        return i32(VERSION_OFFSET + 4 * i);
    }

    /** The CRC-32 carried after the versions (only when {@link #hasCrc()}). */
    public long crc() {
        return u32(VERSION_OFFSET + 4 * versionCount());
    }

    /** Whether the carried CRC-32 equals the CRC-32 of the version bytes (false without a CRC). */
    public boolean crcMatches() {
        return hasCrc() && crc() == Crc32.compute(buffer, payloadIndex() + VERSION_OFFSET, 4 * versionCount());
    }

    /**
     * Encodes a successful response with one version, or the cc-only error form.
     *
     * @param withCrc true for the DSP0240 form (CRC-32 appended), false for libpldm's form
     */
    public int encode(int instanceId, int completionCode, long nextTransferHandle, int transferFlag, int version,
            boolean withCrc) {
        if (completionCode != CompletionCodes.SUCCESS) {
            return encodeErrorForm(instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_VERSION, completionCode, 1);
        }
        if (!fitsUnsigned(nextTransferHandle, 32) || !fitsUnsigned(transferFlag, 8)) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int payload = withCrc ? PAYLOAD_LENGTH_WITH_CRC : PAYLOAD_LENGTH_NO_CRC;
        int messageLength = PAYLOAD_OFFSET + payload;
        int rc = beginEncode(messageLength, false, instanceId, PldmTypes.BASE, BaseCommands.GET_PLDM_VERSION);
        if (rc < 0) {
            return rc;
        }
        putU8(COMPLETION_CODE_OFFSET, CompletionCodes.SUCCESS);
        putU32(NEXT_TRANSFER_HANDLE_OFFSET, nextTransferHandle);
        putU8(TRANSFER_FLAG_OFFSET, transferFlag);
        putU32(VERSION_OFFSET, version & 0xFFFF_FFFFL);
        if (withCrc) {
            putU32(VERSION_OFFSET + 4, Crc32.compute(buffer, payloadIndex() + VERSION_OFFSET, 4));
        }
        return endEncode(messageLength);
    }
}
