package io.ferry.messenger.component;

import io.ferry.api.msgr.EntityName;
import io.ferry.api.msgr.Policy;
import java.util.List;
import java.util.Locale;

/** Ceph's names for the six connection policies and the entity types. Stateless; any thread. */
public final class PolicyNames {
    /** The policy names, in Ceph's order. */
    public static final List<String> POLICIES = List.of("stateful_server", "stateless_server", "lossless_peer",
            "lossless_peer_reuse", "lossy_client", "lossless_client");
    /** The entity type names a configuration may use. */
    public static final List<String> TYPES = List.of("mon", "mds", "osd", "client", "mgr", "auth");

    private PolicyNames() {
    }

    /** @return the policy called {@code name}, or null if there is none. */
    public static Policy policy(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "stateful_server": return Policy.statefulServer();
            case "stateless_server": return Policy.statelessServer();
            case "lossless_peer": return Policy.losslessPeer();
            case "lossless_peer_reuse": return Policy.losslessPeerReuse();
            case "lossy_client": return Policy.lossyClient();
            case "lossless_client": return Policy.losslessClient();
            default: return null;
        }
    }

    /** @return Ceph's name of {@code p} (ignoring features), or a flag description if it has none. */
    public static String name(Policy p) {
        for (String n : POLICIES) {
            Policy q = policy(n);
            if (q.lossy() == p.lossy() && q.server() == p.server() && q.standby() == p.standby()
                    && q.resetcheck() == p.resetcheck()) {
                return n;
            }
        }
        return "lossy=" + p.lossy() + ",server=" + p.server() + ",standby=" + p.standby() + ",resetcheck=" + p.resetcheck();
    }

    /** @return the type number for {@code mon}, {@code osd}, ..., or -1. */
    public static int entityType(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "mon": return EntityName.TYPE_MON;
            case "mds": return EntityName.TYPE_MDS;
            case "osd": return EntityName.TYPE_OSD;
            case "client": return EntityName.TYPE_CLIENT;
            case "mgr": return EntityName.TYPE_MGR;
            case "auth": return EntityName.TYPE_AUTH;
            default: return -1;
        }
    }
}
