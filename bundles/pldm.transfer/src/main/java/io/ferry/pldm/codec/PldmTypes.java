package io.ferry.pldm.codec;

/**
 * PLDM types (byte 1 of the header, bits 5..0), as DSP0245 assigns them and libpldm's
 * {@code enum pldm_supported_types} names them. Ferry decodes {@link #BASE}, {@link #FILE} and
 * {@link #OEM} (IBM file I/O); the others are answered with
 * {@link CompletionCodes#ERROR_INVALID_PLDM_TYPE}.
 */
public final class PldmTypes {
    /** DSP0240 messaging control and discovery. */
    public static final int BASE = 0x00;
    public static final int SMBIOS = 0x01;
    public static final int PLATFORM = 0x02;
    public static final int BIOS = 0x03;
    public static final int FRU = 0x04;
    public static final int FIRMWARE_UPDATE = 0x05;
    public static final int RDE = 0x06;
    /** DSP0242 PLDM for File Transfer. */
    public static final int FILE = 0x07;
    /** OEM type; IBM uses it for its file I/O commands ({@link IbmFileIoCommands}). */
    public static final int OEM = 0x3F;

    private PldmTypes() {
    }
}
