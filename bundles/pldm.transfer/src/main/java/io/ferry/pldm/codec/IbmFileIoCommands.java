package io.ferry.pldm.codec;

/**
 * IBM OEM file I/O command codes (PLDM type {@link PldmTypes#OEM} 0x3F), as libpldm's
 * {@code oem/ibm/file_io.h} names them, with the file attribute table types.
 */
public final class IbmFileIoCommands {
    public static final int GET_FILE_TABLE = 0x01;
    public static final int READ_FILE = 0x04;
    public static final int WRITE_FILE = 0x05;
    public static final int READ_FILE_INTO_MEMORY = 0x06;
    public static final int WRITE_FILE_FROM_MEMORY = 0x07;
    public static final int READ_FILE_BY_TYPE_INTO_MEMORY = 0x08;
    public static final int WRITE_FILE_BY_TYPE_FROM_MEMORY = 0x09;
    public static final int NEW_FILE_AVAILABLE = 0x0A;
    public static final int READ_FILE_BY_TYPE = 0x0B;
    public static final int WRITE_FILE_BY_TYPE = 0x0C;
    public static final int FILE_ACK = 0x0D;
    public static final int NEW_FILE_AVAILABLE_WITH_META_DATA = 0x0E;
    public static final int FILE_ACK_WITH_META_DATA = 0x0F;

    /** GetFileTable table type: the file attribute table (the only one openbmc/pldm serves). */
    public static final int FILE_ATTRIBUTE_TABLE = 0;
    /** GetFileTable table type: the OEM file attribute table. */
    public static final int OEM_FILE_ATTRIBUTE_TABLE = 1;

    private IbmFileIoCommands() {
    }
}
