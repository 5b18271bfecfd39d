package io.ferry.pldm.codec;

/**
 * Transfer operation flags (in requests) and transfer flags (in responses) of the DSP0240
 * multipart mechanisms, with libpldm's values.
 */
public final class TransferFlags {
    // GetPLDMVersion / IBM GetFileTable request: TransferOperationFlag (libpldm enum transfer_op_flag)
    public static final int GET_NEXT_PART = 0;
    public static final int GET_FIRST_PART = 1;
    public static final int ACKNOWLEDGEMENT_ONLY = 2;

    // MultipartReceive request: TransferOperation (libpldm enum transfer_multipart_op_flag)
    public static final int XFER_FIRST_PART = 0;
    public static final int XFER_NEXT_PART = 1;
    public static final int XFER_ABORT = 2;
    public static final int XFER_COMPLETE = 3;
    public static final int XFER_CURRENT_PART = 4;
    /** Highest MultipartReceive operation; a larger one is invalid data (as libpldm decides). */
    public static final int XFER_MAX = XFER_CURRENT_PART;

    // Response TransferFlag (libpldm enum transfer_resp_flag and the MultipartReceive variant)
    public static final int START = 0x01;
    public static final int MIDDLE = 0x02;
    public static final int END = 0x04;
    public static final int START_AND_END = 0x05;
    /** MultipartReceive only: the part carries no data checksum. */
    public static final int ACKNOWLEDGE_COMPLETION = 0x08;

    private TransferFlags() {
    }
}
