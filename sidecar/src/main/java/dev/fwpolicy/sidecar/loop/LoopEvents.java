package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.sidecar.source.PolicyProblem;

/**
 * What the loop reports as it runs. An interface here, implemented by the metrics package, so
 * the loop does not depend on how (or whether) its events are counted.
 */
public interface LoopEvents {
    void syncSucceeded(SyncRecord record);

    void syncFailed(SyncRecord record);

    void policyLoaded(ActivePolicy policy);

    void reloadFailed(String reason);

    /** The same rejection with its message and diagnostics, for listeners that say why. */
    default void policyRejected(PolicyProblem problem) {}

    /** Both listeners, {@code first} first. */
    static LoopEvents both(LoopEvents first, LoopEvents second) {
        return new LoopEvents() {
            @Override
            public void syncSucceeded(SyncRecord record) {
                first.syncSucceeded(record);
                second.syncSucceeded(record);
            }

            @Override
            public void syncFailed(SyncRecord record) {
                first.syncFailed(record);
                second.syncFailed(record);
            }

            @Override
            public void policyLoaded(ActivePolicy policy) {
                first.policyLoaded(policy);
                second.policyLoaded(policy);
            }

            @Override
            public void reloadFailed(String reason) {
                first.reloadFailed(reason);
                second.reloadFailed(reason);
            }

            @Override
            public void membersApplied(java.time.Duration sinceEvent) {
                first.membersApplied(sinceEvent);
                second.membersApplied(sinceEvent);
            }

            @Override
            public void policyRejected(PolicyProblem problem) {
                first.policyRejected(problem);
                second.policyRejected(problem);
            }

            @Override
            public void hitsCounted(HitTotals totals) {
                first.hitsCounted(totals);
                second.hitsCounted(totals);
            }
        };
    }

    /** After a successful sync that read counters: every desired rule's running totals. */
    default void hitsCounted(HitTotals totals) {}

    /** Members of dynamic sets as of a cluster event are in the kernel, {@code sinceEvent} after the watch saw it. */
    default void membersApplied(java.time.Duration sinceEvent) {}
}
