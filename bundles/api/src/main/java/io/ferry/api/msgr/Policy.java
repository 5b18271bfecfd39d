package io.ferry.api.msgr;

/**
 * How a connection behaves on faults (Ceph's {@code Messenger::Policy}). Immutable; any thread.
 *
 * @param lossy a fault closes the connection and reports a reset; nothing is resent
 * @param server never reconnect: wait for the peer to come back (go to standby on a fault)
 * @param standby on a fault with nothing to send, wait idle instead of reconnecting at once
 * @param resetcheck detect that the peer lost its session (and answer with or act on RESETSESSION)
 * @param featuresSupported the feature bits offered in the handshake
 * @param featuresRequired the feature bits the peer must offer, or the handshake fails with FEATURES
 */
public record Policy(boolean lossy, boolean server, boolean standby, boolean resetcheck,
        long featuresSupported, long featuresRequired) {

    /**
     * The features Ferry offers by default: what a Ceph monitor requires of a client plus
     * NOSRCADDR, RECONNECT_SEQ, MSG_AUTH (21-byte footer) and MSGR_KEEPALIVE2.
     */
    public static final long DEFAULT_FEATURES = 0x0401020002040000L | (1L << 1) | (1L << 6) | (1L << 23) | (1L << 42);

    /** Lossless server side of a stateful session (an OSD serving a client): F T T T. */
    public static Policy statefulServer() {
        return new Policy(false, true, true, true, DEFAULT_FEATURES, 0);
    }

    /** A server whose clients are lossy (a monitor serving clients): T T F F. */
    public static Policy statelessServer() {
        return new Policy(true, true, false, false, DEFAULT_FEATURES, 0);
    }

    /** Two daemons that both connect and must not lose messages: F F T F. */
    public static Policy losslessPeer() {
        return new Policy(false, false, true, false, DEFAULT_FEATURES, 0);
    }

    /** Like {@link #losslessPeer()}, with session reset detection: F F T T. */
    public static Policy losslessPeerReuse() {
        return new Policy(false, false, true, true, DEFAULT_FEATURES, 0);
    }

    /** A client that reports resets and lets the application resend (a client to a monitor): T F F F. */
    public static Policy lossyClient() {
        return new Policy(true, false, false, false, DEFAULT_FEATURES, 0);
    }

    /** A client that reconnects and resends by itself: F F F T. */
    public static Policy losslessClient() {
        return new Policy(false, false, false, true, DEFAULT_FEATURES, 0);
    }

    /** @return the same policy offering {@code features} (for tests of the FEATURES refusal). */
    public Policy withFeaturesSupported(long features) {
        return new Policy(lossy, server, standby, resetcheck, features, featuresRequired);
    }

    /** @return the same policy requiring {@code features} of the peer. */
    public Policy withFeaturesRequired(long features) {
        return new Policy(lossy, server, standby, resetcheck, featuresSupported, features);
    }

    /** @return the same policy with {@code lossy} set as the server decided it. */
    public Policy withLossy(boolean value) {
        return new Policy(value, server, standby, resetcheck, featuresSupported, featuresRequired);
    }
}
