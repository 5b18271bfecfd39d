package io.ferry.api.pldm;

/**
 * The PLDM completion codes a {@link FileTypeHandler} returns (DSP0240 generic codes and the IBM
 * OEM file I/O codes of libpldm's {@code file_io.h}). The values are the wire values. Constants
 * only; any thread.
 */
public final class PldmCompletionCodes {
    /** The request succeeded. */
    public static final int SUCCESS = 0x00;
    /** Generic failure (also the answer to a DMA timeout). */
    public static final int ERROR = 0x01;
    /** A field value is invalid (for example a certificate that does not parse). */
    public static final int ERROR_INVALID_DATA = 0x02;
    /** A length is invalid (DMA lengths: zero or not a multiple of 16). */
    public static final int ERROR_INVALID_LENGTH = 0x03;
    /** The file type cannot take the request now (for example a dump already in progress). */
    public static final int ERROR_NOT_READY = 0x04;
    /** The file type does not support this command or direction. */
    public static final int ERROR_UNSUPPORTED_PLDM_CMD = 0x05;
    /** IBM: the file table is not available. */
    public static final int IBM_FILE_TABLE_UNAVAILABLE = 0x83;
    /** IBM: the table type of GetFileTable is not the attribute table. */
    public static final int IBM_INVALID_FILE_TABLE_TYPE = 0x85;
    /** IBM: the handle is unknown, malformed or would escape the handler's base directory. */
    public static final int IBM_INVALID_FILE_HANDLE = 0x86;
    /** IBM: offset at or past the end of the file, or a write past the type's maximum size. */
    public static final int IBM_DATA_OUT_OF_RANGE = 0x87;
    /** IBM: no handler serves the file type. */
    public static final int IBM_INVALID_FILE_TYPE = 0x89;

    private PldmCompletionCodes() {
    }
}
