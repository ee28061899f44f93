package dev.fwpolicy.sidecar.loop;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket, as kube-proxy's BoundedFrequencyRunner does it: up to {@code burst} syncs back
 * to back, then one per {@code minSyncInterval}. Refilled lazily from the time elapsed, so it
 * needs no timer of its own. Not thread-safe: the loop uses it on its own context only.
 */
final class SyncRateLimit {
    private final Duration interval;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAtNanos;

    SyncRateLimit(Duration interval, int burst, LongSupplier nanoTime) {
        this.interval = interval;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAtNanos = nanoTime.getAsLong();
    }

    /** How long until a sync may start: zero when a token is there. */
    Duration untilNext() {
        refill();
        if (tokens >= 1) return Duration.ZERO;
        // Rounded up: a timer that fires a fraction of a millisecond early must not find the bucket empty.
        return Duration.ofMillis((long) Math.ceil((1 - tokens) * interval.toNanos() / 1e6) + 1);
    }

    /**
     * Takes a token. May leave the bucket below zero when a sync that was started free (a verify)
     * turns out to have written and is charged afterwards: the debt delays the next sync.
     */
    void take() {
        refill();
        tokens -= 1;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long nanos = interval.toNanos();
        tokens = nanos == 0 ? burst : Math.min(burst, tokens + (double) (now - refilledAtNanos) / nanos);
        refilledAtNanos = now;
    }
}
