package io.ferry.pldm.codec;

/**
 * DSP0242 (PLDM for File Transfer 1.0) command codes of PLDM type {@link PldmTypes#FILE}, as
 * libpldm's {@code file.h} names them.
 *
 * <p>The codec encodes and decodes {@link #DF_OPEN}, {@link #DF_CLOSE} and {@link #DF_HEARTBEAT},
 * the commands libpldm (0.17) has encoders for and the golden vectors pin. File data moves with
 * the base {@link BaseCommands#MULTIPART_RECEIVE} whose transfer context is the file descriptor.
 * {@link #DF_PROPERTIES}, the attribute commands, {@link #DF_READ} and {@link #DF_FIFO_SEND} have
 * no field layout in any source we can check (libpldm defines only their codes), so the decoder
 * answers them with {@link CompletionCodes#ERROR_UNSUPPORTED_PLDM_CMD} until one is grounded.
 */
public final class FileTransferCommands {
    public static final int DF_OPEN = 0x01;
    public static final int DF_CLOSE = 0x02;
    public static final int DF_HEARTBEAT = 0x03;
    public static final int DF_PROPERTIES = 0x10;
    public static final int DF_GET_FILE_ATTRIBUTE = 0x11;
    public static final int DF_SET_FILE_ATTRIBUTE = 0x12;
    public static final int DF_READ = 0x20;
    public static final int DF_FIFO_SEND = 0x21;

    private FileTransferCommands() {
    }
}
