package dev.fwpolicy.sidecar.source;

import java.time.Instant;
import java.util.Optional;

/**
 * How one informer is doing, for /v1/status and the log.
 *
 * @param listed    its first list has arrived (until every informer has listed, no snapshot is handed out)
 * @param watching  its watch connection is open now
 * @param objects   objects in its cache
 * @param lastError the latest list or watch failure, kept after recovery so that a flapping watch shows
 * @param failures  list or watch failures since it started
 */
public record WatchHealth(WatchKey key, boolean listed, boolean watching, int objects, Optional<String> lastError,
                          Optional<Instant> lastErrorAt, int failures) {

    /** Listed and connected: its members are current. */
    public boolean healthy() {
        return listed && watching;
    }
}
