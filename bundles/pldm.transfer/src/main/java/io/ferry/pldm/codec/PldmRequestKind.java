package io.ferry.pldm.codec;

/**
 * The requests {@link PldmRequestDecoder} recognises, each with its PLDM type, command and the
 * payload length of its error response (see {@link ErrorResponses}).
 */
public enum PldmRequestKind {
    /** Nothing decoded: the message was refused before its command was known. */
    NONE(-1, -1),

    GET_TID(PldmTypes.BASE, BaseCommands.GET_TID),
    GET_PLDM_VERSION(PldmTypes.BASE, BaseCommands.GET_PLDM_VERSION),
    GET_PLDM_TYPES(PldmTypes.BASE, BaseCommands.GET_PLDM_TYPES),
    GET_PLDM_COMMANDS(PldmTypes.BASE, BaseCommands.GET_PLDM_COMMANDS),
    NEGOTIATE_TRANSFER_PARAMETERS(PldmTypes.BASE, BaseCommands.NEGOTIATE_TRANSFER_PARAMETERS),
    MULTIPART_RECEIVE(PldmTypes.BASE, BaseCommands.MULTIPART_RECEIVE),

    GET_FILE_TABLE(PldmTypes.OEM, IbmFileIoCommands.GET_FILE_TABLE),
    READ_FILE(PldmTypes.OEM, IbmFileIoCommands.READ_FILE),
    WRITE_FILE(PldmTypes.OEM, IbmFileIoCommands.WRITE_FILE),
    READ_FILE_INTO_MEMORY(PldmTypes.OEM, IbmFileIoCommands.READ_FILE_INTO_MEMORY),
    WRITE_FILE_FROM_MEMORY(PldmTypes.OEM, IbmFileIoCommands.WRITE_FILE_FROM_MEMORY),
    READ_FILE_BY_TYPE_INTO_MEMORY(PldmTypes.OEM, IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY),
    WRITE_FILE_BY_TYPE_FROM_MEMORY(PldmTypes.OEM, IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY),
    NEW_FILE_AVAILABLE(PldmTypes.OEM, IbmFileIoCommands.NEW_FILE_AVAILABLE),
    READ_FILE_BY_TYPE(PldmTypes.OEM, IbmFileIoCommands.READ_FILE_BY_TYPE),
    WRITE_FILE_BY_TYPE(PldmTypes.OEM, IbmFileIoCommands.WRITE_FILE_BY_TYPE),
    FILE_ACK(PldmTypes.OEM, IbmFileIoCommands.FILE_ACK),
    NEW_FILE_AVAILABLE_WITH_META_DATA(PldmTypes.OEM, IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA),
    FILE_ACK_WITH_META_DATA(PldmTypes.OEM, IbmFileIoCommands.FILE_ACK_WITH_META_DATA),

    DF_OPEN(PldmTypes.FILE, FileTransferCommands.DF_OPEN),
    DF_CLOSE(PldmTypes.FILE, FileTransferCommands.DF_CLOSE),
    DF_HEARTBEAT(PldmTypes.FILE, FileTransferCommands.DF_HEARTBEAT);

    private final int pldmType;
    private final int command;

    PldmRequestKind(int pldmType, int command) {
        this.pldmType = pldmType;
        this.command = command;
    }

    /** The PLDM type (-1 for {@link #NONE}). */
    public int pldmType() {
        return pldmType;
    }

    /** The command code (-1 for {@link #NONE}). */
    public int command() {
        return command;
    }

    /** Payload bytes of this request's error response: 1, 5 or 6 (see {@link ErrorResponses}). */
    public int errorPayloadLength() {
        return this == NONE ? 1 : ErrorResponses.errorPayloadLength(pldmType, command);
    }
}
