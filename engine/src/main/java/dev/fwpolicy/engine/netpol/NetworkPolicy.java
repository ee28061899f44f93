package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.ObjectRef;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A NetworkPolicy. {@code declaredTypes} is {@code policyTypes} as written (empty when the
 * field is absent); {@link #types()} applies Kubernetes' default.
 */
public record NetworkPolicy(ObjectRef ref, LabelSelector podSelector, Optional<Set<PolicyType>> declaredTypes,
                            List<PolicyRule> ingress, List<PolicyRule> egress) {

    public NetworkPolicy {
        declaredTypes = declaredTypes.map(Set::copyOf);
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /** Without {@code policyTypes}: Ingress always, Egress when the policy has egress rules. */
    public Set<PolicyType> types() {
        if (declaredTypes.isPresent()) return declaredTypes.get();
        var types = EnumSet.of(PolicyType.INGRESS);
        if (!egress.isEmpty()) types.add(PolicyType.EGRESS);
        return types;
    }

    public boolean selects(ObjectRef pod, java.util.Map<String, String> labels) {
        return pod.namespace().equals(ref.namespace()) && podSelector.matches(labels);
    }
}
