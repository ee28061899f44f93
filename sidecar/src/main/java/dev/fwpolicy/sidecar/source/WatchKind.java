package dev.fwpolicy.sidecar.source;

import java.util.Locale;

/** The kinds of object the cluster watch lists and watches: what dynamic sets are computed from. */
public enum WatchKind {
    PODS,
    NAMESPACES,
    ENDPOINTSLICES;

    /** The resource name as RBAC and the API server's paths spell it. */
    public String resource() {
        return name().toLowerCase(Locale.ROOT);
    }
}
