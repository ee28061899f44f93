package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.ipset.KernelSets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** fwpolicy's part of the kernel as read back now, each rule marked against the desired set. */
public record KernelState(List<KernelRuleState> rules, List<KernelSetState> sets, KernelSets kernelSets) {

    public KernelState {
        rules = List.copyOf(rules);
        sets = List.copyOf(sets);
    }

    /** Rules only: no kernel sets desired or read. */
    public KernelState(List<KernelRuleState> rules) {
        this(rules, List.of(), KernelSets.empty());
    }

    public Map<KernelRuleState.Status, Integer> countsByStatus() {
        var map = new EnumMap<KernelRuleState.Status, Integer>(KernelRuleState.Status.class);
        for (var s : KernelRuleState.Status.values()) map.put(s, 0);
        for (var r : rules) map.merge(r.status(), 1, Integer::sum);
        return map;
    }

    public boolean inSync() {
        return rules.stream().allMatch(r -> r.status() == KernelRuleState.Status.IN_SYNC)
                && sets.stream().allMatch(s -> s.missingMembers() == 0 && s.extraMembers() == 0 && s.present());
    }
}
