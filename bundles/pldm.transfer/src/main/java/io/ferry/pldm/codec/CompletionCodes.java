package io.ferry.pldm.codec;

/**
 * PLDM completion codes: the DSP0240 generic codes every command may return, then the
 * command-specific codes of the commands this codec covers. Command-specific codes reuse values
 * (0x80 and up) per type and command, so a code means something only together with its type and
 * command — the prefixes say which: {@code GET_PLDM_VERSION_}, {@code GET_PLDM_COMMANDS_},
 * {@code MULTIPART_}, {@code IBM_} (type 0x3F file I/O), {@code DF_} (type 0x07, DSP0242).
 *
 * <p>The decoders in this package return only {@link #SUCCESS}, {@link #ERROR_INVALID_DATA},
 * {@link #ERROR_INVALID_LENGTH}, {@link #ERROR_UNSUPPORTED_PLDM_CMD} and
 * {@link #ERROR_INVALID_PLDM_TYPE}.
 */
public final class CompletionCodes {
    // ---- DSP0240 generic ----
    public static final int SUCCESS = 0x00;
    public static final int ERROR = 0x01;
    public static final int ERROR_INVALID_DATA = 0x02;
    public static final int ERROR_INVALID_LENGTH = 0x03;
    public static final int ERROR_NOT_READY = 0x04;
    public static final int ERROR_UNSUPPORTED_PLDM_CMD = 0x05;
    public static final int ERROR_INVALID_PLDM_TYPE = 0x20;
    public static final int ERROR_INVALID_TRANSFER_CONTEXT = 0x21;
    public static final int ERROR_INVALID_DATA_TRANSFER_HANDLE = 0x22;
    public static final int ERROR_UNEXPECTED_TRANSFER_FLAG_OPERATION = 0x23;
    public static final int ERROR_INVALID_REQUESTED_SECTION_OFFSET = 0x24;

    // ---- DSP0240 command-specific ----
    public static final int GET_PLDM_VERSION_INVALID_DATA_TRANSFER_HANDLE = 0x80;
    public static final int GET_PLDM_VERSION_INVALID_TRANSFER_OPERATION_FLAG = 0x81;
    public static final int GET_PLDM_VERSION_INVALID_PLDM_TYPE_IN_REQUEST_DATA = 0x83;
    public static final int GET_PLDM_COMMANDS_INVALID_PLDM_TYPE_IN_REQUEST_DATA = 0x83;
    public static final int GET_PLDM_COMMANDS_INVALID_PLDM_VERSION_IN_REQUEST_DATA = 0x84;
    public static final int MULTIPART_RECEIVE_NEGOTIATION_INCOMPLETE = 0x83;

    // ---- IBM OEM file I/O (type 0x3F), libpldm enum pldm_fileio_completion_codes ----
    public static final int IBM_FILE_TABLE_UNAVAILABLE = 0x83;
    public static final int IBM_INVALID_FILE_TABLE_TYPE = 0x85;
    public static final int IBM_INVALID_FILE_HANDLE = 0x86;
    public static final int IBM_DATA_OUT_OF_RANGE = 0x87;
    public static final int IBM_INVALID_FILE_TYPE = 0x89;
    public static final int IBM_ERROR_FILE_DISCARDED = 0x8A;
    public static final int IBM_FULL_FILE_DISCARDED = 0x8B;

    // ---- DSP0242 file transfer (type 0x07), libpldm enum pldm_file_cc ----
    public static final int DF_INVALID_FILE_DESCRIPTOR = 0x80;
    public static final int DF_INVALID_DF_ATTRIBUTE = 0x81;
    public static final int DF_ZEROLENGTH_NOT_ALLOWED = 0x82;
    public static final int DF_EXCLUSIVE_OWNERSHIP_NOT_ESTABLISHED = 0x83;
    public static final int DF_EXCLUSIVE_OWNERSHIP_NOT_ALLOWED = 0x84;
    public static final int DF_EXCLUSIVE_OWNERSHIP_NOT_AVAILABLE = 0x85;
    public static final int DF_INVALID_FILE_IDENTIFIER = 0x86;
    public static final int DF_DFOPEN_DIR_NOT_ALLOWED = 0x87;
    public static final int DF_MAX_NUM_FDS_EXCEEDED = 0x88;
    public static final int DF_FILE_OPEN = 0x89;
    public static final int DF_UNABLE_TO_OPEN_FILE = 0x8A;

    private CompletionCodes() {
    }

    /**
     * The name of a completion code in the context of a type and command, for logs and test
     * messages (allocates only for unknown codes).
     */
    public static String name(int pldmType, int command, int cc) {
        switch (cc) {
            case SUCCESS: return "SUCCESS";
            case ERROR: return "ERROR";
            case ERROR_INVALID_DATA: return "ERROR_INVALID_DATA";
            case ERROR_INVALID_LENGTH: return "ERROR_INVALID_LENGTH";
            case ERROR_NOT_READY: return "ERROR_NOT_READY";
            case ERROR_UNSUPPORTED_PLDM_CMD: return "ERROR_UNSUPPORTED_PLDM_CMD";
            case ERROR_INVALID_PLDM_TYPE: return "ERROR_INVALID_PLDM_TYPE";
            case ERROR_INVALID_TRANSFER_CONTEXT: return "ERROR_INVALID_TRANSFER_CONTEXT";
            case ERROR_INVALID_DATA_TRANSFER_HANDLE: return "ERROR_INVALID_DATA_TRANSFER_HANDLE";
            case ERROR_UNEXPECTED_TRANSFER_FLAG_OPERATION: return "ERROR_UNEXPECTED_TRANSFER_FLAG_OPERATION";
            case ERROR_INVALID_REQUESTED_SECTION_OFFSET: return "ERROR_INVALID_REQUESTED_SECTION_OFFSET";
            default:
                break;
        }
        if (pldmType == PldmTypes.OEM) {
            switch (cc) {
                case IBM_FILE_TABLE_UNAVAILABLE: return "FILE_TABLE_UNAVAILABLE";
                case IBM_INVALID_FILE_TABLE_TYPE: return "INVALID_FILE_TABLE_TYPE";
                case IBM_INVALID_FILE_HANDLE: return "INVALID_FILE_HANDLE";
                case IBM_DATA_OUT_OF_RANGE: return "DATA_OUT_OF_RANGE";
                case IBM_INVALID_FILE_TYPE: return "INVALID_FILE_TYPE";
                case IBM_ERROR_FILE_DISCARDED: return "ERROR_FILE_DISCARDED";
                case IBM_FULL_FILE_DISCARDED: return "FULL_FILE_DISCARDED";
                default: break;
            }
        } else if (pldmType == PldmTypes.FILE) {
            switch (cc) {
                case DF_INVALID_FILE_DESCRIPTOR: return "INVALID_FILE_DESCRIPTOR";
                case DF_INVALID_DF_ATTRIBUTE: return "INVALID_DF_ATTRIBUTE";
                case DF_ZEROLENGTH_NOT_ALLOWED: return "ZEROLENGTH_NOT_ALLOWED";
                case DF_EXCLUSIVE_OWNERSHIP_NOT_ESTABLISHED: return "EXCLUSIVE_OWNERSHIP_NOT_ESTABLISHED";
                case DF_EXCLUSIVE_OWNERSHIP_NOT_ALLOWED: return "EXCLUSIVE_OWNERSHIP_NOT_ALLOWED";
                case DF_EXCLUSIVE_OWNERSHIP_NOT_AVAILABLE: return "EXCLUSIVE_OWNERSHIP_NOT_AVAILABLE";
                case DF_INVALID_FILE_IDENTIFIER: return "INVALID_FILE_IDENTIFIER";
                case DF_DFOPEN_DIR_NOT_ALLOWED: return "DFOPEN_DIR_NOT_ALLOWED";
                case DF_MAX_NUM_FDS_EXCEEDED: return "MAX_NUM_FDS_EXCEEDED";
                case DF_FILE_OPEN: return "FILE_OPEN";
                case DF_UNABLE_TO_OPEN_FILE: return "UNABLE_TO_OPEN_FILE";
                default: break;
            }
        } else if (pldmType == PldmTypes.BASE) {
            if (command == BaseCommands.GET_PLDM_VERSION) {
                switch (cc) {
                    case GET_PLDM_VERSION_INVALID_DATA_TRANSFER_HANDLE: return "INVALID_DATA_TRANSFER_HANDLE";
                    case GET_PLDM_VERSION_INVALID_TRANSFER_OPERATION_FLAG: return "INVALID_TRANSFER_OPERATION_FLAG";
                    case GET_PLDM_VERSION_INVALID_PLDM_TYPE_IN_REQUEST_DATA: return "INVALID_PLDM_TYPE_IN_REQUEST_DATA";
                    default: break;
                }
            } else if (command == BaseCommands.GET_PLDM_COMMANDS) {
                switch (cc) {
                    case GET_PLDM_COMMANDS_INVALID_PLDM_TYPE_IN_REQUEST_DATA: return "INVALID_PLDM_TYPE_IN_REQUEST_DATA";
                    case GET_PLDM_COMMANDS_INVALID_PLDM_VERSION_IN_REQUEST_DATA: return "INVALID_PLDM_VERSION_IN_REQUEST_DATA";
                    default: break;
                }
            } else if (command == BaseCommands.MULTIPART_RECEIVE && cc == MULTIPART_RECEIVE_NEGOTIATION_INCOMPLETE) {
                return "NEGOTIATION_INCOMPLETE";
            }
        }
        return "0x" + Integer.toHexString(cc);
    }
}
