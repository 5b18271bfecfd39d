package io.ferry.api.pldm;

/**
 * A PLDM request answered with an error completion code; completes stages exceptionally (such as
 * {@link TransferService#offerFile}). Immutable.
 */
public class PldmException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int completionCode;

    /**
     * @param completionCode the code the peer answered
     * @param message what was asked, for logs
     */
    public PldmException(int completionCode, String message) {
        super(message + ": completion code 0x" + Integer.toHexString(completionCode));
        this.completionCode = completionCode;
    }

    /** @return the completion code the peer answered. */
    public int completionCode() {
        return completionCode;
    }
}
