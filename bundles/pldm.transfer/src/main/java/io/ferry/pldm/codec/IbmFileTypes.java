package io.ferry.pldm.codec;

/**
 * IBM OEM file types carried in the u16 {@code file_type} field of the by-type commands (values
 * of libpldm's {@code enum pldm_fileio_file_type}). A responder answers a type it has no handler
 * for with {@link CompletionCodes#IBM_INVALID_FILE_TYPE}.
 */
public final class IbmFileTypes {
    public static final int PEL = 0x00;
    public static final int LID_PERM = 0x01;
    public static final int LID_TEMP = 0x02;
    public static final int DUMP = 0x03;
    public static final int CERT_SIGNING_REQUEST = 0x04;
    public static final int SIGNED_CERT = 0x05;
    public static final int ROOT_CERT = 0x06;
    public static final int LID_MARKER = 0x07;
    public static final int RESOURCE_DUMP_PARMS = 0x08;
    public static final int RESOURCE_DUMP = 0x09;
    public static final int PROGRESS_SRC = 0x0A;
    public static final int ADJUNCT_DUMP = 0x0B;
    public static final int DEVICE_DUMP = 0x0C;
    public static final int COD_LICENSE_KEY = 0x0D;
    public static final int COD_LICENSED_RESOURCES = 0x0E;
    public static final int BMC_DUMP = 0x0F;
    public static final int SBE_DUMP = 0x10;
    public static final int HOSTBOOT_DUMP = 0x11;
    public static final int HARDWARE_DUMP = 0x12;
    public static final int LID_RUNNING = 0x13;
    public static final int PCIE_TOPOLOGY = 0x14;
    public static final int CABLE_INFO = 0x15;
    public static final int PSPD_VPD_PDD_KEYWORD = 0x16;
    public static final int CHAP_DATA = 0x17;
    public static final int USER_PASSWORD_AUTHENTICATION = 0x18;
    public static final int USER_PASSWORD_CHANGE = 0x19;

    private static final String[] NAMES = {
        "PEL", "LID_PERM", "LID_TEMP", "DUMP", "CERT_SIGNING_REQUEST", "SIGNED_CERT", "ROOT_CERT",
        "LID_MARKER", "RESOURCE_DUMP_PARMS", "RESOURCE_DUMP", "PROGRESS_SRC", "ADJUNCT_DUMP",
        "DEVICE_DUMP", "COD_LICENSE_KEY", "COD_LICENSED_RESOURCES", "BMC_DUMP", "SBE_DUMP",
        "HOSTBOOT_DUMP", "HARDWARE_DUMP", "LID_RUNNING", "PCIE_TOPOLOGY", "CABLE_INFO",
        "PSPD_VPD_PDD_KEYWORD", "CHAP_DATA", "USER_PASSWORD_AUTHENTICATION", "USER_PASSWORD_CHANGE",
    };

    private IbmFileTypes() {
    }

    /** Whether libpldm defines this file type. */
    public static boolean isKnown(int fileType) {
        return fileType >= 0 && fileType < NAMES.length;
    }

    /** The name of a file type, or {@code "0x..."} for an unknown one; for logs. */
    public static String name(int fileType) {
        return isKnown(fileType) ? NAMES[fileType] : "0x" + Integer.toHexString(fileType);
    }
}
