package dev.fwpolicy.sidecar.source;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster watch at one moment, for /v1/status and metrics.
 *
 * @param listed       every informer of the plan has listed: members are known
 * @param apiServer    what the API server last answered any request of the client
 * @param watches      one entry per informer
 * @param lastChangeAt when a changed snapshot was last handed out
 */
public record ClusterWatchStatus(boolean listed, ApiServerHealth.State apiServer, List<WatchHealth> watches,
                                 Optional<Instant> lastChangeAt) {
    public ClusterWatchStatus {
        watches = List.copyOf(watches);
    }
}
