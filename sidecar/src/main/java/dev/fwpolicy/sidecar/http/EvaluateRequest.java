package dev.fwpolicy.sidecar.http;

import dev.fwpolicy.engine.eval.Flow;
import java.util.List;

/** A decoded {@code POST /v1/evaluate}: the flows, against the kernel or the policy, with traces or not. */
record EvaluateRequest(List<Flow> flows, boolean kernel, boolean explain) {
    /** Cheap enough to answer without taking one of the heavy slots: against the policy, no traces, few flows. */
    boolean isSmall(int maxFlows) {
        return !kernel && !explain && flows.size() <= maxFlows;
    }
}
