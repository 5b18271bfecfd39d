package io.ferry.pldm.codec;

/**
 * Results of the encoders and sizes shared by every message.
 *
 * <p>An encoder returns the length in bytes of the whole message it wrote (PLDM header included,
 * always positive), or one of the negative results here; it never throws for a bad value. A
 * negative result leaves the region's contents unspecified (the header may have been written).
 */
public final class PldmCodec {
    /** The wrapped region is shorter than the message would be; nothing usable was written. */
    public static final int INSUFFICIENT_CAPACITY = -1;
    /**
     * A value does not fit its field or is refused the way libpldm refuses it (an instance id
     * above 31, a u16 field above 0xFFFF, a command code the message does not carry, ...).
     */
    public static final int INVALID_ARGUMENT = -2;

    /** Bytes of the DSP0240 header in front of every payload. */
    public static final int HEADER_LENGTH = PldmHeader.LENGTH;

    private PldmCodec() {
    }

    /** Whether an encoder's result is an error rather than a length. */
    public static boolean isError(int encodeResult) {
        return encodeResult < 0;
    }

    /** A short name for an encoder result, for logs and test messages. */
    public static String describe(int encodeResult) {
        switch (encodeResult) {
            case INSUFFICIENT_CAPACITY:
                return "INSUFFICIENT_CAPACITY";
            case INVALID_ARGUMENT:
                return "INVALID_ARGUMENT";
            default:
                return encodeResult >= 0 ? "length " + encodeResult : "unknown result " + encodeResult;
        }
    }
}
