package io.ferry.pldm.codec;

/**
 * DSP0240 command codes of PLDM type {@link PldmTypes#BASE}, as libpldm's
 * {@code enum pldm_supported_commands} names them. Ferry's codec covers GetTID, GetPLDMVersion,
 * GetPLDMTypes, GetPLDMCommands, NegotiateTransferParameters and MultipartReceive; the others are
 * listed so logs can name them and the decoder answers them with
 * {@link CompletionCodes#ERROR_UNSUPPORTED_PLDM_CMD}.
 */
public final class BaseCommands {
    public static final int SET_TID = 0x01;
    public static final int GET_TID = 0x02;
    public static final int GET_PLDM_VERSION = 0x03;
    public static final int GET_PLDM_TYPES = 0x04;
    public static final int GET_PLDM_COMMANDS = 0x05;
    public static final int SELECT_PLDM_VERSION = 0x06;
    public static final int NEGOTIATE_TRANSFER_PARAMETERS = 0x07;
    public static final int MULTIPART_SEND = 0x08;
    public static final int MULTIPART_RECEIVE = 0x09;
    public static final int GET_MULTIPART_TRANSFER_SUPPORT = 0x0A;

    private BaseCommands() {
    }
}
