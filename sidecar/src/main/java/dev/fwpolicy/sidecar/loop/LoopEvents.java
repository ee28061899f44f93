package dev.fwpolicy.sidecar.loop;

/**
 * What the loop reports as it runs. An interface here, implemented by the metrics package, so
 * the loop does not depend on how (or whether) its events are counted.
 */
public interface LoopEvents {
    void syncSucceeded(SyncRecord record);

    void syncFailed(SyncRecord record);

    void policyLoaded(ActivePolicy policy);

    void reloadFailed(String reason);

    /** After a successful sync that read counters: every desired rule's running totals. */
    default void hitsCounted(HitTotals totals) {}

    /** Members of dynamic sets as of a cluster event are in the kernel, {@code sinceEvent} after the watch saw it. */
    default void membersApplied(java.time.Duration sinceEvent) {}
}
