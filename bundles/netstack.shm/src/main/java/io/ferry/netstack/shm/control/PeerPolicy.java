package io.ferry.netstack.shm.control;

/**
 * Who may use the shm server: decided from the peer's credentials as the kernel recorded them on
 * the connection ({@code SO_PEERCRED}: effective uid and gid, which the peer cannot forge). A peer
 * is admitted if its uid is the server's uid, or if a group is configured and the peer's gid is
 * that group. Nothing else counts: uid 0 is not special (root can always reach the memory through
 * {@code /proc}, but the server does not invite it), and supplementary groups are not seen
 * ({@code SO_PEERCRED} carries only the effective gid; see PROTOCOL.md, open questions).
 *
 * <p>The server checks the policy right after {@code accept(2)}, before it reads a byte from the
 * peer; a refused peer gets one fatal {@code ERROR EACCES} carrying {@link Decision#reason()} and
 * is disconnected. Immutable and thread-safe.
 */
public final class PeerPolicy {

    /** The value of {@code allowedGid} meaning "no group admitted"; also {@code (gid_t) -1}, never a real group. */
    public static final int NO_GROUP = -1;

    /**
     * The outcome for one peer.
     *
     * @param admitted true if the peer may proceed to HELLO
     * @param reason why, one line, naming the uid/gid compared (for logs and the ERROR text)
     */
    public record Decision(boolean admitted, String reason) {
    }

    private final int serverUid;
    private final int allowedGid;

    /**
     * @param serverUid the server process's effective uid
     * @param allowedGid a group whose members (by effective gid) are admitted too, or {@link #NO_GROUP}
     */
    public PeerPolicy(int serverUid, int allowedGid) {
        if (serverUid == -1) {
            throw new IllegalArgumentException("server uid -1 is not a uid");
        }
        this.serverUid = serverUid;
        this.allowedGid = allowedGid;
    }

    /** @return the policy admitting only peers of {@code serverUid}. */
    public static PeerPolicy sameUidOnly(int serverUid) {
        return new PeerPolicy(serverUid, NO_GROUP);
    }

    /**
     * @param uid the peer's effective uid from {@code SO_PEERCRED} (an unsigned 32-bit value in an int)
     * @param gid the peer's effective gid from {@code SO_PEERCRED}
     * @return the decision with its reason; never null
     */
    public Decision decide(int uid, int gid) {
        if (uid == -1) {
            return new Decision(false, "refused: peer uid is (uid_t)-1, credentials unknown");
        }
        if (uid == serverUid) {
            return new Decision(true, "admitted: peer uid " + u(uid) + " is the server's uid");
        }
        if (allowedGid != NO_GROUP && gid == allowedGid) {
            return new Decision(true, "admitted: peer uid " + u(uid) + " has gid " + u(gid) + ", the configured group");
        }
        if (allowedGid == NO_GROUP) {
            return new Decision(false, "refused: peer uid " + u(uid) + " is not the server's uid " + u(serverUid)
                    + " and no group is configured");
        }
        return new Decision(false, "refused: peer uid " + u(uid) + " is not the server's uid " + u(serverUid)
                + " and its gid " + u(gid) + " is not the configured group " + u(allowedGid));
    }

    /** @return the server's uid. */
    public int serverUid() {
        return serverUid;
    }

    /** @return the configured group, or {@link #NO_GROUP}. */
    public int allowedGid() {
        return allowedGid;
    }

    private static String u(int id) {
        return Integer.toUnsignedString(id);
    }

    @Override
    public String toString() {
        return "PeerPolicy[uid " + u(serverUid) + (allowedGid == NO_GROUP ? "" : ", gid " + u(allowedGid)) + "]";
    }
}
