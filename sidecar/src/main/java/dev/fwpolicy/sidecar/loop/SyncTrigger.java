package dev.fwpolicy.sidecar.loop;

import java.util.Locale;

/** What asked for a sync. Several requests that arrive before a sync starts fold into that one sync. */
public enum SyncTrigger {
    /** A new policy revision was compiled. */
    POLICY,
    /** The members of a dynamic set changed (the cluster watches); the rules did not. */
    MEMBERS,
    /** The periodic read-back that repairs drift when nothing else happened. */
    RESYNC,
    /** {@code POST /v1/sync}. */
    API,
    /** The retry after a failed sync. */
    RETRY,
    /** The read-back some time after a sync that wrote (the reconciler verifies on its next read). */
    VERIFY;

    /** The word in logs, JSON and metrics. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
