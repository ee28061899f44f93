package dev.fwpolicy.sidecar.loop;

import java.time.Duration;

/**
 * When the loop may sync: a token bucket, as kube-proxy's BoundedFrequencyRunner does it. Up to
 * {@code burst} syncs may start back to back (a policy change right after a resync need not
 * wait); after that, one per {@code minSyncInterval}. Requests in between coalesce.
 *
 * @param resync          how often the kernel is read back and repaired even when nothing changed
 * @param minSyncInterval the bucket's refill time for one sync
 * @param burst           the bucket's size (at least 1)
 * @param memberSyncInterval the refill time of a second bucket of the same size for syncs that only
 *                        carry new members of dynamic sets (an ipset change, no rule): pod churn
 *                        reaches the kernel within about this much, without letting policy
 *                        reloads run that often
 * @param verifyDelay     how long after a sync that wrote a verifying sync is asked for (trigger
 *                        {@code verify}): the reconciler trusts a committed restore and leaves the
 *                        read-back to the next sync, so the loop makes that next sync come soon
 */
public record LoopSettings(Duration resync, Duration minSyncInterval, int burst, Duration verifyDelay, Duration memberSyncInterval) {

    public static final int DEFAULT_BURST = 2;
    public static final Duration DEFAULT_VERIFY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MEMBER_SYNC_INTERVAL = Duration.ofMillis(100);

    public LoopSettings {
        if (resync.isNegative() || resync.isZero()) throw new IllegalArgumentException("--resync must be positive");
        if (minSyncInterval.isNegative()) throw new IllegalArgumentException("--min-sync-interval must not be negative");
        if (burst < 1) throw new IllegalArgumentException("--sync-burst must be at least 1");
        if (verifyDelay.isNegative()) throw new IllegalArgumentException("--verify-after must not be negative");
        if (memberSyncInterval.isNegative()) throw new IllegalArgumentException("--member-sync-interval must not be negative");
    }

    public LoopSettings(Duration resync, Duration minSyncInterval, int burst, Duration verifyDelay) {
        this(resync, minSyncInterval, burst, verifyDelay, DEFAULT_MEMBER_SYNC_INTERVAL);
    }

    public LoopSettings(Duration resync, Duration minSyncInterval, int burst) {
        this(resync, minSyncInterval, burst, DEFAULT_VERIFY_DELAY);
    }

    public LoopSettings(Duration resync, Duration minSyncInterval) {
        this(resync, minSyncInterval, DEFAULT_BURST);
    }

    public LoopSettings withVerifyDelay(Duration delay) {
        return new LoopSettings(resync, minSyncInterval, burst, delay, memberSyncInterval);
    }

    public LoopSettings withMemberSyncInterval(Duration interval) {
        return new LoopSettings(resync, minSyncInterval, burst, verifyDelay, interval);
    }
}
