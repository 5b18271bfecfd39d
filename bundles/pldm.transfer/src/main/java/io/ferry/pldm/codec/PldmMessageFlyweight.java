package io.ferry.pldm.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Base of every message flyweight: a region {@code [offset, offset + length)} of a
 * {@link ByteBuffer} holding one whole PLDM message (3-byte header, then the payload), read and
 * written at absolute indexes in little-endian order. The buffer's position, limit and order are
 * never changed.
 *
 * <p><b>Decoding:</b> {@code wrap(buffer, offset, length)} the received message, call
 * {@code validate()} — it returns a {@link CompletionCodes completion code}, never throws, never
 * reads outside the region — and read fields only when it returned {@link CompletionCodes#SUCCESS}
 * (fields of a message that failed validation are unspecified, though still read within the
 * buffer's limit or refused with an {@link IndexOutOfBoundsException}).
 *
 * <p><b>Encoding:</b> {@code wrap(buffer, offset, capacity)} a free region, call an
 * {@code encode...} method: it writes header and payload, returns the message length (and
 * {@link #messageLength()} becomes that length, so the getters read back what was written), or a
 * negative {@link PldmCodec} result.
 *
 * <p><b>Threading:</b> not thread-safe; one thread at a time. Create one instance per thread or
 * per decoder and re-wrap it per message: nothing here allocates.
 */
public abstract class PldmMessageFlyweight {
    /** Index of the first payload byte relative to the message start. */
    protected static final int PAYLOAD_OFFSET = PldmHeader.LENGTH;

    protected ByteBuffer buffer;
    /** Index of the message's first (header) byte. */
    protected int offset;
    /** Length of the message: the received length, or the encoded one after an encode. */
    protected int length;
    /** Length of the wrapped region: the most an encoder may write. */
    protected int capacity;

    /**
     * Wraps a region; subclasses expose this as their own {@code wrap} returning themselves.
     *
     * @throws NullPointerException if buffer is null
     * @throws IndexOutOfBoundsException if the region is not inside {@code [0, buffer.limit())}
     *         (a programming error; {@link PldmRequestDecoder} checks before wrapping)
     */
    protected final void wrapRegion(ByteBuffer buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.limit());
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.capacity = length;
    }

    /** The wrapped buffer. */
    public final ByteBuffer buffer() {
        return buffer;
    }

    /** Index of the message's first byte. */
    public final int offset() {
        return offset;
    }

    /** Length of the whole message in bytes (header included). */
    public final int messageLength() {
        return length;
    }

    /** Length of the payload (the message after the 3-byte header); negative if shorter than a header. */
    public final int payloadLength() {
        return length - PAYLOAD_OFFSET;
    }

    /** Index in the buffer of the first payload byte. */
    public final int payloadIndex() {
        return offset + PAYLOAD_OFFSET;
    }

    public final boolean isRequest() {
        return PldmHeader.isRequest(buffer, offset);
    }

    public final boolean isDatagram() {
        return PldmHeader.isDatagram(buffer, offset);
    }

    public final int instanceId() {
        return PldmHeader.instanceId(buffer, offset);
    }

    public final int pldmType() {
        return PldmHeader.pldmType(buffer, offset);
    }

    public final int command() {
        return PldmHeader.command(buffer, offset);
    }

    // ---- validation helpers --------------------------------------------------------------------

    /**
     * Checks the header: at least 3 bytes, the expected direction and type.
     *
     * @return {@link CompletionCodes#SUCCESS}, {@link CompletionCodes#ERROR_INVALID_LENGTH} for a
     *         region shorter than a header, {@link CompletionCodes#ERROR_INVALID_DATA} for the
     *         wrong direction or type
     */
    protected final int checkHeader(boolean request, int pldmType) {
        if (length < PldmHeader.LENGTH) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (isRequest() != request || pldmType() != pldmType) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        return CompletionCodes.SUCCESS;
    }

    /**
     * The rule for a fixed-size response: on success the payload is exactly
     * {@code successPayloadLength} bytes; on error it is the completion code alone (DSP0240, and
     * what libpldm's cc-only encoders send) or the completion code zero-padded to
     * {@code successPayloadLength} (what openbmc/pldm sends for the IBM file I/O commands). The
     * padding is not inspected.
     */
    protected final int checkFixedResponse(int successPayloadLength) {
        int payload = payloadLength();
        if (payload < 1) {
            return CompletionCodes.ERROR_INVALID_LENGTH;
        }
        if (u8(0) != CompletionCodes.SUCCESS) {
            return payload == 1 || payload == successPayloadLength
                    ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
        }
        return payload == successPayloadLength ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    /**
     * The rule for the error form of a variable-length response: the completion code alone, or
     * zero-padded to {@code errorPayloadLength} bytes.
     */
    protected final int checkErrorForm(int errorPayloadLength) {
        int payload = payloadLength();
        return payload == 1 || payload == errorPayloadLength
                ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_LENGTH;
    }

    /**
     * Encodes the error form of a response: completion code, then zero padding up to
     * {@code errorPayloadLength} (1 for the plain cc-only form).
     */
    protected final int encodeErrorForm(int instanceId, int pldmType, int command, int completionCode,
            int errorPayloadLength) {
        if (!fitsUnsigned(completionCode, 8) || completionCode == CompletionCodes.SUCCESS) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        int messageLength = PAYLOAD_OFFSET + errorPayloadLength;
        int rc = beginEncode(messageLength, false, instanceId, pldmType, command);
        if (rc < 0) {
            return rc;
        }
        putU8(0, completionCode);
        zeroPayload(1, errorPayloadLength - 1);
        return endEncode(messageLength);
    }

    // ---- payload access, indexes relative to the first payload byte ---------------------------

    protected final int u8(int payloadOffset) {
        return LittleEndian.u8(buffer, offset + PAYLOAD_OFFSET + payloadOffset);
    }

    protected final int u16(int payloadOffset) {
        return LittleEndian.u16(buffer, offset + PAYLOAD_OFFSET + payloadOffset);
    }

    protected final long u32(int payloadOffset) {
        return LittleEndian.u32(buffer, offset + PAYLOAD_OFFSET + payloadOffset);
    }

    protected final int i32(int payloadOffset) {
        return LittleEndian.i32(buffer, offset + PAYLOAD_OFFSET + payloadOffset);
    }

    protected final long u64(int payloadOffset) {
        return LittleEndian.u64(buffer, offset + PAYLOAD_OFFSET + payloadOffset);
    }

    protected final void putU8(int payloadOffset, int value) {
        LittleEndian.putU8(buffer, offset + PAYLOAD_OFFSET + payloadOffset, value);
    }

    protected final void putU16(int payloadOffset, int value) {
        LittleEndian.putU16(buffer, offset + PAYLOAD_OFFSET + payloadOffset, value);
    }

    protected final void putU32(int payloadOffset, long value) {
        LittleEndian.putU32(buffer, offset + PAYLOAD_OFFSET + payloadOffset, value);
    }

    protected final void putU64(int payloadOffset, long value) {
        LittleEndian.putU64(buffer, offset + PAYLOAD_OFFSET + payloadOffset, value);
    }

    protected final void zeroPayload(int payloadOffset, int count) {
        LittleEndian.zero(buffer, offset + PAYLOAD_OFFSET + payloadOffset, count);
    }

    // ---- encoding helpers ----------------------------------------------------------------------

    /**
     * Starts an encode of a message of {@code messageLength} bytes: checks the capacity and writes
     * the header.
     *
     * @return 0, {@link PldmCodec#INSUFFICIENT_CAPACITY} or {@link PldmCodec#INVALID_ARGUMENT}
     */
    protected final int beginEncode(long messageLength, boolean request, int instanceId, int pldmType, int command) {
        if (messageLength > capacity) {
            return PldmCodec.INSUFFICIENT_CAPACITY;
        }
        return PldmHeader.put(buffer, offset, request, false, instanceId, pldmType, command);
    }

    /** Finishes an encode: the message is now {@code messageLength} bytes long. */
    protected final int endEncode(int messageLength) {
        this.length = messageLength;
        return messageLength;
    }

    /** Whether a value fits an unsigned field of {@code bits} bits (8, 16 or 32). */
    protected static boolean fitsUnsigned(long value, int bits) {
        return value >= 0 && value <= (1L << bits) - 1;
    }

    /**
     * Copies {@code count} bytes from {@code src} at {@code srcIndex} into this message's payload
     * at {@code payloadOffset} (absolute indexes on both sides; no position moves).
     */
    protected final void copyIntoPayload(int payloadOffset, ByteBuffer src, int srcIndex, int count) {
        buffer.put(offset + PAYLOAD_OFFSET + payloadOffset, src, srcIndex, count);
    }
}
