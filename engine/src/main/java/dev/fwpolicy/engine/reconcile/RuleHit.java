package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How often one desired rule was hit, as one read-back with counters saw it.
 *
 * @param rule     the desired rule
 * @param counters the counters of its copies in its chain, summed (zero when the kernel lacks it)
 * @param retired  the part of {@code counters} held by copies a sync of this read-back's plan
 *                 deletes or rewrites (duplicate, moved or tampered copies, every rule of a chain
 *                 it rewrites whole): the kernel starts those over at zero, so a running total
 *                 keeps them ({@code fwpolicy serve}'s rule hits)
 */
public record RuleHit(CompiledRule rule, Counters counters, Counters retired) {

    /**
     * Every desired rule's hits, in rule-set order; empty when {@code view} was read without
     * counters. Counters decide nothing: a rule's status is the same whatever they say.
     */
    public static List<RuleHit> of(RuleSet desired, KernelView view) {
        if (view.tables().isEmpty() || view.tables().values().stream().anyMatch(t -> !t.counters().read())) return List.of();
        boolean quiet = view.tables().keySet().stream().allMatch(f -> view.plan().family(f).map(FamilyPlan::isEmpty).orElse(false));
        if (quiet) {
            var fast = quiet(desired, view);
            if (fast.isPresent()) return fast.get();
        }
        var byId = desired.byId();
        Map<String, Counters> sums = new HashMap<>();
        Map<String, Counters> retired = new HashMap<>();
        collect(byId, view, sums, retired);
        var out = new ArrayList<RuleHit>(byId.size());
        for (var rule : byId.values()) {
            out.add(new RuleHit(rule, sums.getOrDefault(rule.id(), Counters.ZERO), retired.getOrDefault(rule.id(), Counters.ZERO)));
        }
        return out;
    }

    /**
     * A quiet sync (the usual one): the kernel holds each owned chain exactly as desired, so each
     * rule's counters are read by position, without a map of every identity; a jump is looked for
     * in its built-in chain, among other programs' rules. Empty if the tables are not that exact.
     */
    private static java.util.Optional<List<RuleHit>> quiet(RuleSet desired, KernelView view) {
        var out = new ArrayList<RuleHit>(desired.ruleCount());
        for (var jump : desired.jumps()) {
            var table = view.tables().get(jump.family());
            if (table == null) continue;
            var chain = table.chains().get(jump.chain());
            if (chain == null) return java.util.Optional.empty();
            var sum = Counters.ZERO;
            for (var k : chain.rules()) {
                if (k.id().filter(jump.id()::equals).isPresent()) sum = sum.plus(table.counters().of(k).orElse(Counters.ZERO));
            }
            out.add(new RuleHit(jump, sum, Counters.ZERO));
        }
        for (var c : desired.chains()) {
            var table = view.tables().get(c.family());
            if (table == null) continue;
            var chain = table.chains().get(c.name());
            if (chain == null || chain.rules().size() != c.rules().size()) return java.util.Optional.empty();
            var counters = table.counters().chain(c.name());
            for (int i = 0; i < c.rules().size(); i++) {
                var r = c.rules().get(i);
                var k = chain.rules().get(i);
                if (k.id().isEmpty() || !k.id().get().equals(r.id())) return java.util.Optional.empty();
                out.add(new RuleHit(r, counters.isPresent() ? counters.get().of(i + 1) : Counters.ZERO, Counters.ZERO));
            }
        }
        return java.util.Optional.of(out);
    }

    private static void collect(Map<String, CompiledRule> byId, KernelView view, Map<String, Counters> sums, Map<String, Counters> retired) {
        for (KernelTable table : view.tables().values()) {
            Set<String> rewritten = new HashSet<>();
            view.plan().family(table.family()).ifPresent(fp -> fp.ops().forEach(op -> {
                if (op instanceof PlanOp.DeclareChain d) rewritten.add(d.chain());
            }));
            for (var chain : table.chains().values()) {
                boolean whole = rewritten.contains(chain.name());
                for (var r : chain.rules()) {
                    if (r.id().isEmpty()) continue;
                    var rule = byId.get(r.id().get());
                    if (rule == null || rule.family() != table.family() || !rule.chain().equals(chain.name())) continue;
                    var c = table.counters().of(r).orElse(Counters.ZERO);
                    sums.merge(rule.id(), c, Counters::plus);
                    if (whole) retired.merge(rule.id(), c, Counters::plus);
                }
            }
            for (Drift d : view.plan().family(table.family()).map(FamilyPlan::problems).orElse(List.of())) {
                if (d.kernel().isEmpty() || d.id().isEmpty() || rewritten.contains(d.chain())) continue;
                if (d.status() != DriftStatus.DUPLICATE && d.status() != DriftStatus.MOVED && d.status() != DriftStatus.TAMPERED) continue;
                var rule = byId.get(d.id().get());
                if (rule == null || !rule.chain().equals(d.chain())) continue;
                retired.merge(rule.id(), table.counters().of(d.kernel().get()).orElse(Counters.ZERO), Counters::plus);
            }
        }
    }
}
