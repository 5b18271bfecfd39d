package io.ferry.pldm.dma;

import io.ferry.pldm.codec.CompletionCodes;

/**
 * The status a {@link DmaCompletion} receives: {@link #SUCCESS} (0), a positive PLDM completion
 * code when the request itself was refused (today only {@link CompletionCodes#ERROR_INVALID_LENGTH}),
 * or a negative errno when moving the bytes failed or stopped. {@link #toCompletionCode(int)} gives
 * the code to answer the remote terminus with. Stateless; any thread.
 */
public final class DmaStatus {
    /** All bytes moved. */
    public static final int SUCCESS = CompletionCodes.SUCCESS;
    /** I/O error: the device reported an error, or the local file was shorter than the request. */
    public static final int EIO = -5;
    /** Bad address: the host address range lies outside the host memory window. */
    public static final int EFAULT = -14;
    /** The DMA engine is busy with another client (retried internally; never a final status). */
    public static final int EBUSY = -16;
    /** No such device (the xdma device could not be opened). */
    public static final int ENODEV = -19;
    /** Invalid argument: the local region does not hold {@code length} bytes. */
    public static final int EINVAL = -22;
    /** Try again (non-blocking device lock contended; retried internally). */
    public static final int EAGAIN = -11;
    /** The engine was closed, or the event center shut down, before the operation ended. */
    public static final int ESHUTDOWN = -108;
    /** A device operation is still in flight (internal; never a final status). */
    public static final int EINPROGRESS = -115;
    /** {@link DmaOperation#cancel()} ended the operation (a timeout, usually). */
    public static final int ECANCELED = -125;

    private DmaStatus() {
    }

    /** @return the PLDM completion code to answer with: {@code status} itself when non-negative, else ERROR. */
    public static int toCompletionCode(int status) {
        return status >= 0 ? status : CompletionCodes.ERROR;
    }

    /** @return a short text for logs, such as {@code "-ECANCELED"} or {@code "cc 0x03"}. Allocates. */
    public static String describe(int status) {
        switch (status) {
            case SUCCESS: return "SUCCESS";
            case EIO: return "-EIO";
            case EFAULT: return "-EFAULT";
            case EBUSY: return "-EBUSY";
            case ENODEV: return "-ENODEV";
            case EINVAL: return "-EINVAL";
            case EAGAIN: return "-EAGAIN";
            case ESHUTDOWN: return "-ESHUTDOWN";
            case EINPROGRESS: return "-EINPROGRESS";
            case ECANCELED: return "-ECANCELED";
            default: return status > 0 ? String.format("cc 0x%02X", status) : "errno " + (-status);
        }
    }
}
