package dev.fwpolicy.sidecar.service;

import java.time.Duration;

/**
 * When the loop may sync: a token bucket, as kube-proxy's BoundedFrequencyRunner does it. Up to
 * {@code burst} syncs may start back to back (a policy change right after a resync need not
 * wait); after that, one per {@code minSyncInterval}. Requests in between coalesce.
 *
 * @param resync          how often the kernel is read back and repaired even when nothing changed
 * @param minSyncInterval the bucket's refill time for one sync
 * @param burst           the bucket's size (at least 1)
 */
public record LoopSettings(Duration resync, Duration minSyncInterval, int burst) {

    public static final int DEFAULT_BURST = 2;

    public LoopSettings {
        if (resync.isNegative() || resync.isZero()) throw new IllegalArgumentException("--resync must be positive");
        if (minSyncInterval.isNegative()) throw new IllegalArgumentException("--min-sync-interval must not be negative");
        if (burst < 1) throw new IllegalArgumentException("--sync-burst must be at least 1");
    }

    public LoopSettings(Duration resync, Duration minSyncInterval) {
        this(resync, minSyncInterval, DEFAULT_BURST);
    }
}
