package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.sidecar.source.PolicyProblem;
import dev.fwpolicy.engine.eval.MustPassFlow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the HTTP API may say about the service, frozen. The loop replaces it after every
 * change; readers never see it half-updated and never wait for a sync to read it.
 *
 * @param policy      the rule set in force (the last good one)
 * @param applied     revision that last synced successfully
 * @param lastSync    the latest sync, successful or not
 * @param lastSuccess the latest successful sync
 * @param problem     why the latest input is not in force, if it is not
 * @param sourceGone  the source disappeared; the last rules stay in force
 * @param ready       a sync has succeeded since start
 * @param mustPass    the flows every policy must allow (a policy that would cut one off is refused)
 * @param hits        each desired rule's counters, as of the last successful sync
 */
public record ServiceSnapshot(Instant startedAt, String source, BackendInfo backend, Optional<ActivePolicy> policy,
                              Optional<String> applied, Optional<SyncRecord> lastSync, Optional<SyncRecord> lastSuccess,
                              Optional<PolicyProblem> problem, Optional<String> sourceGone, boolean ready,
                              List<MustPassFlow> mustPass, HitTotals hits) {

    public ServiceSnapshot {
        mustPass = List.copyOf(mustPass);
    }

    public static ServiceSnapshot initial(Instant startedAt, String source, BackendInfo backend, List<MustPassFlow> mustPass) {
        return new ServiceSnapshot(startedAt, source, backend, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, mustPass, HitTotals.none(startedAt));
    }

    public ServiceSnapshot withHits(HitTotals h) {
        return new ServiceSnapshot(startedAt, source, backend, policy, applied, lastSync, lastSuccess, problem, sourceGone, ready,
                mustPass, h);
    }

    /** The loaded policy is the one the last successful sync put in the kernel. */
    public boolean inForce() {
        return policy.isPresent() && applied.equals(policy.map(ActivePolicy::revision));
    }

    public ServiceSnapshot withPolicy(ActivePolicy p) {
        return new ServiceSnapshot(startedAt, source, backend, Optional.of(p), applied, lastSync, lastSuccess,
                Optional.empty(), Optional.empty(), ready, mustPass, hits);
    }

    /** The policy in force with new members of its dynamic sets: a rejected newer input stays reported. */
    public ServiceSnapshot withMembers(ActivePolicy p) {
        return new ServiceSnapshot(startedAt, source, backend, Optional.of(p), applied, lastSync, lastSuccess,
                problem, sourceGone, ready, mustPass, hits);
    }

    public ServiceSnapshot withProblem(PolicyProblem p) {
        return new ServiceSnapshot(startedAt, source, backend, policy, applied, lastSync, lastSuccess, Optional.of(p),
                sourceGone, ready, mustPass, hits);
    }

    public ServiceSnapshot withSourceGone(String reason) {
        return new ServiceSnapshot(startedAt, source, backend, policy, applied, lastSync, lastSuccess, problem,
                Optional.of(reason), ready, mustPass, hits);
    }

    public ServiceSnapshot withSync(SyncRecord s) {
        return new ServiceSnapshot(startedAt, source, backend, policy, s.ok() ? Optional.of(s.revision()) : applied,
                Optional.of(s), s.ok() ? Optional.of(s) : lastSuccess, problem, sourceGone, ready || s.ok(), mustPass, hits);
    }
}
