package io.ferry.api.pldm;

/** Which way a transfer's bytes go. */
public enum TransferDirection {
    /** BMC -> host: ReadFile*, the host reads a file of the node (XDMA {@code upstream = 1}). */
    TO_HOST,
    /** Host -> BMC: WriteFile*, the host writes a file to the node (XDMA {@code upstream = 0}). */
    FROM_HOST
}
