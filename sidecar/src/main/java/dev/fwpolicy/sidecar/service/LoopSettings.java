package dev.fwpolicy.sidecar.service;

import java.time.Duration;

/**
 * @param resync          how often the kernel is read back and repaired even when nothing changed
 * @param minSyncInterval least time between the starts of two syncs; requests in between coalesce
 */
public record LoopSettings(Duration resync, Duration minSyncInterval) {

    public LoopSettings {
        if (resync.isNegative() || resync.isZero()) throw new IllegalArgumentException("--resync must be positive");
        if (minSyncInterval.isNegative()) throw new IllegalArgumentException("--min-sync-interval must not be negative");
    }
}
