package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.iptables.ExpectedPrints;
import dev.fwpolicy.engine.iptables.KernelChain;
import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Diffs one family's read-back against the desired rule set: the one drift classifier
 * (every owned rule, hashed jump and owned chain gets one {@link DriftStatus}), and the
 * smallest restore transaction that makes them equal. Pure: no I/O, so every kernel state it
 * can meet is unit-testable.
 *
 * <p>Per owned chain, the desired ordered id list is compared with the kernel's. The rules that
 * may stay are the longest run already in desired order (LIS over desired indices); every other
 * rule in the chain is deleted (junk, extra copies, stale or misplaced rules), missing ones are
 * inserted at their final position, and kept rules whose body differs from what the kernel
 * printed when fwpolicy wrote them are replaced in place. When that costs more lines than
 * flushing and rewriting the chain, the chain is rewritten instead.
 *
 * <p>In built-in chains only rules carrying an fwp1 comment are fwpolicy's: exactly one copy
 * of each desired jump is kept (inserted at the top when missing or tampered), other fwp1 rules
 * are deleted by their exact spec, never by a rule number, and nothing else there is touched. Owned chains no longer desired are emptied and removed
 * after the jumps into them are gone.
 */
public final class Planner {
    private final RuleSet desired;
    private final Family family;
    private final KernelTable actual;
    private final ExpectedPrints prints;

    private final List<PlanOp> declares = new ArrayList<>();
    private final List<PlanOp> ownedOps = new ArrayList<>();
    private final List<PlanOp> builtinOps = new ArrayList<>();
    private final List<PlanOp> chainDeletes = new ArrayList<>();
    private final DriftLog drift;
    private final Map<String, CompiledRule> written = new LinkedHashMap<>();

    private Planner(RuleSet desired, Family family, KernelTable actual, ExpectedPrints prints) {
        this.desired = desired;
        this.family = family;
        this.actual = actual;
        this.prints = prints;
        this.drift = new DriftLog(family);
    }

    public static FamilyPlan plan(RuleSet desired, Family family, KernelTable actual, ExpectedPrints prints) {
        if (actual.family() != family) throw new IllegalArgumentException("read-back is " + actual.family() + ", not " + family);
        return new Planner(desired, family, actual, prints).run();
    }

    private FamilyPlan run() {
        Set<String> desiredChains = new HashSet<>();
        for (OwnedChain chain : desired.chains(family)) {
            desiredChains.add(chain.name());
            planOwnedChain(chain);
        }
        Map<String, List<CompiledRule>> jumpsByChain = new LinkedHashMap<>();
        for (CompiledRule jump : desired.jumps(family)) jumpsByChain.computeIfAbsent(jump.chain(), c -> new ArrayList<>()).add(jump);
        Set<String> builtins = new LinkedHashSet<>();
        actual.chains().values().stream().filter(KernelChain::builtin).forEach(c -> builtins.add(c.name()));
        builtins.addAll(jumpsByChain.keySet());
        for (String chain : builtins) planBuiltinChain(chain, jumpsByChain.getOrDefault(chain, List.of()));
        for (KernelChain chain : actual.chains().values()) {
            if (!chain.builtin() && ChainNames.isOwned(chain.name()) && !desiredChains.contains(chain.name())) {
                planStaleChain(chain);
            }
        }
        var ops = new ArrayList<PlanOp>(declares.size() + ownedOps.size() + builtinOps.size() + chainDeletes.size());
        ops.addAll(declares);
        ops.addAll(ownedOps);
        ops.addAll(builtinOps);
        ops.addAll(chainDeletes);
        return new FamilyPlan(family, ops, drift, written);
    }

    private void planOwnedChain(OwnedChain chain) {
        String name = chain.name();
        List<CompiledRule> want = chain.rules();
        Optional<KernelChain> kernel = actual.chain(name);
        List<String> wantSpecs = RuleSpecs.of(chain);
        if (kernel.isEmpty()) {
            declares.add(new PlanOp.DeclareChain(name));
            drift.add(new Drift(DriftStatus.MISSING_CHAIN, family, name, Optional.empty(), Optional.empty(), Optional.empty()));
            for (int i = 0; i < want.size(); i++) {
                CompiledRule r = want.get(i);
                ownedOps.add(new PlanOp.AppendRule(name, wantSpecs.get(i)));
                drift.add(missing(DriftStatus.MISSING, r));
                written.put(r.id(), r);
            }
            return;
        }
        var index = new DesiredIndex(name, want);
        List<KernelRule> have = kernel.get().rules();
        int[] desiredIndex = new int[have.size()];
        boolean[] good = new boolean[have.size()];
        boolean[] anyGood = new boolean[want.size()];
        boolean[] anyCopy = new boolean[want.size()];
        for (int k = 0; k < have.size(); k++) {
            KernelRule r = have.get(k);
            int i = r.id().isPresent() ? index.of(r.id().get()) : -1;
            desiredIndex[k] = i;
            if (i >= 0) {
                good[k] = r.spec().equals(prints.expected(want.get(i), wantSpecs.get(i)));
                anyCopy[i] = true;
                anyGood[i] |= good[k];
            }
        }
        // Candidates to stay: copies of desired rules, preferring a correct copy over a tampered one.
        List<Integer> candidates = new ArrayList<>();
        for (int k = 0; k < have.size(); k++) {
            int i = desiredIndex[k];
            if (i >= 0 && (good[k] || !anyGood[i])) candidates.add(k);
        }
        int[] values = candidates.stream().mapToInt(k -> desiredIndex[k]).toArray();
        boolean[] inLis = LongestIncreasingSubsequence.of(values);
        boolean[] keep = new boolean[have.size()];
        int[] keptAt = new int[want.size()];
        java.util.Arrays.fill(keptAt, -1);
        for (int c = 0; c < candidates.size(); c++) {
            if (inLis[c]) {
                int k = candidates.get(c);
                keep[k] = true;
                keptAt[desiredIndex[k]] = k;
            }
        }
        int deletes = 0;
        int inserts = 0;
        int replaces = 0;
        for (int k = 0; k < have.size(); k++) if (!keep[k]) deletes++;
        for (int i = 0; i < want.size(); i++) {
            if (keptAt[i] < 0) inserts++;
            else if (!good[keptAt[i]]) replaces++;
        }
        // Every kernel rule in kernel order: kept ones are in sync or tampered; of a desired rule
        // that is re-inserted, the first copy deleted is the one that moved (or, with no correct
        // copy anywhere, was tampered with); every further copy is a duplicate.
        boolean[] sourceTaken = new boolean[want.size()];
        CompiledRule[] desiredOf = new CompiledRule[have.size()];
        DriftStatus[] statuses = drift.chain(name, have, desiredOf);
        for (int k = 0; k < have.size(); k++) {
            KernelRule r = have.get(k);
            int i = desiredIndex[k];
            DriftStatus status;
            if (i < 0) status = DriftStatus.UNKNOWN;
            else if (keep[k]) status = good[k] ? DriftStatus.IN_SYNC : DriftStatus.TAMPERED;
            else if (keptAt[i] >= 0 || sourceTaken[i]) status = DriftStatus.DUPLICATE;
            else {
                sourceTaken[i] = true;
                status = anyGood[i] ? DriftStatus.MOVED : DriftStatus.TAMPERED;
            }
            statuses[k] = status;
            desiredOf[k] = i < 0 ? null : want.get(i);
        }
        for (int i = 0; i < want.size(); i++) {
            if (!anyCopy[i]) drift.add(missing(DriftStatus.MISSING, want.get(i)));
        }
        int cost = deletes + inserts + replaces;
        if (cost == 0) return;
        if (cost > 1 + want.size()) {
            declares.add(new PlanOp.DeclareChain(name));
            for (int i = 0; i < want.size(); i++) {
                CompiledRule r = want.get(i);
                ownedOps.add(new PlanOp.AppendRule(name, wantSpecs.get(i)));
                written.put(r.id(), r);
            }
            return;
        }
        for (int k = have.size() - 1; k >= 0; k--) {
            if (!keep[k]) ownedOps.add(new PlanOp.DeleteRule(name, k + 1));
        }
        int size = have.size() - deletes;
        for (int i = 0; i < want.size(); i++) {
            if (keptAt[i] >= 0) continue;
            CompiledRule r = want.get(i);
            ownedOps.add(i + 1 > size ? new PlanOp.AppendRule(name, wantSpecs.get(i)) : new PlanOp.InsertRule(name, i + 1, wantSpecs.get(i)));
            size++;
            written.put(r.id(), r);
        }
        for (int i = 0; i < want.size(); i++) {
            if (keptAt[i] >= 0 && !good[keptAt[i]]) {
                ownedOps.add(new PlanOp.ReplaceRule(name, i + 1, wantSpecs.get(i)));
                written.put(want.get(i).id(), want.get(i));
            }
        }
    }

    /**
     * Built-in chains are shared: another program may insert or delete rules there between our
     * read-back and our restore, so a rule number read earlier can point at its rule by the time
     * the transaction runs (iptables-nft-restore even re-resolves the payload against the new
     * state when the table's generation moved). Here fwpolicy therefore deletes only by exact
     * spec ({@code -D CHAIN <spec>}, resolved inside the transaction; the spec carries our fwp1
     * comment, so no rule of anyone else's can match it) and inserts only at the top; it never
     * uses {@code -R} or a rule number. A delete by spec removes the chain's first rule with that
     * spec: when a copy to delete is byte-identical to the copy we keep, all those copies are
     * deleted and one is inserted at the top instead, so the kept jump never ends up behind
     * foreign rules it used to precede.
     */
    private void planBuiltinChain(String name, List<CompiledRule> want) {
        List<KernelRule> have = actual.chain(name).map(KernelChain::rules).orElse(List.of());
        Map<String, CompiledRule> wantById = new LinkedHashMap<>();
        want.forEach(j -> wantById.put(j.id(), j));
        Map<String, KernelRule> kept = new LinkedHashMap<>();
        for (KernelRule r : have) {
            if (r.id().isEmpty() || !wantById.containsKey(r.id().get())) continue;
            if (!kept.containsKey(r.id().get()) && r.spec().equals(prints.expected(wantById.get(r.id().get())))) kept.put(r.id().get(), r);
        }
        // A kept copy that has a byte-identical twin to delete cannot be told apart from it by spec.
        Set<String> topAgain = new LinkedHashSet<>();
        for (KernelRule r : have) {
            if (r.id().isEmpty()) continue;
            KernelRule k = kept.get(r.id().get());
            if (k != null && k != r && k.spec().equals(r.spec())) topAgain.add(r.id().get());
        }
        Set<String> repairs = new HashSet<>();
        for (KernelRule r : have) {
            if (r.id().isEmpty()) continue; // foreign: never touched
            String id = r.id().get();
            if (kept.get(id) == r) {
                if (topAgain.contains(id)) builtinOps.add(new PlanOp.DeleteRuleBySpec(name, r.spec()));
                continue;
            }
            builtinOps.add(new PlanOp.DeleteRuleBySpec(name, r.spec()));
        }
        // Jumps to (re)insert at the top, in desired order: the last one first.
        List<CompiledRule> insert = want.stream().filter(j -> !kept.containsKey(j.id()) || topAgain.contains(j.id())).toList();
        for (int m = insert.size() - 1; m >= 0; m--) {
            CompiledRule j = insert.get(m);
            builtinOps.add(new PlanOp.InsertRule(name, 1, RuleSpecs.spec(j)));
            written.put(j.id(), j);
        }
        // Statuses, in kernel order: a kept copy is in sync (or moved, when it goes back to the
        // top with its twins); of a jump with only tampered copies the first is tampered; every
        // other copy of a desired jump is a duplicate, every other fwp1 rule unknown.
        CompiledRule[] desiredOf = new CompiledRule[have.size()];
        DriftStatus[] statuses = drift.chain(name, have, desiredOf);
        for (int k = 0; k < have.size(); k++) {
            KernelRule r = have.get(k);
            if (r.id().isEmpty()) {
                statuses[k] = DriftStatus.FOREIGN;
                continue;
            }
            String id = r.id().get();
            CompiledRule j = wantById.get(id);
            DriftStatus status;
            if (j == null) status = DriftStatus.UNKNOWN;
            else if (kept.get(id) == r) status = topAgain.contains(id) ? DriftStatus.MOVED : DriftStatus.IN_SYNC;
            else if (!kept.containsKey(id) && repairs.add(id)) status = DriftStatus.TAMPERED;
            else status = DriftStatus.DUPLICATE;
            statuses[k] = status;
            desiredOf[k] = j;
        }
        for (CompiledRule j : want) {
            if (!kept.containsKey(j.id()) && !repairs.contains(j.id())) drift.add(missing(DriftStatus.MISSING_JUMP, j));
        }
    }

    private void planStaleChain(KernelChain chain) {
        boolean referencedByForeignRule = actual.chains().values().stream()
                .filter(c -> !ChainNames.isOwned(c.name()))
                .flatMap(c -> c.rules().stream())
                .filter(r -> !(actual.chain(r.chain()).map(KernelChain::builtin).orElse(false) && r.id().isPresent()))
                .anyMatch(r -> targets(r.spec(), chain.name()));
        if (chain.rules().isEmpty() && referencedByForeignRule) return;
        if (!chain.rules().isEmpty()) declares.add(new PlanOp.DeclareChain(chain.name()));
        java.util.Arrays.fill(drift.chain(chain.name(), chain.rules(), new CompiledRule[chain.rules().size()]), DriftStatus.UNKNOWN);
        // A chain someone else jumps to can only be emptied: deleting it would fail the whole transaction.
        if (!referencedByForeignRule) {
            chainDeletes.add(new PlanOp.DeleteChain(chain.name()));
        }
    }

    private Drift missing(DriftStatus status, CompiledRule r) {
        return new Drift(status, family, r.chain(), Optional.of(r.id()), Optional.empty(), Optional.of(r));
    }

    private static boolean targets(String spec, String chain) {
        String[] tokens = spec.split(" ");
        for (int t = 0; t + 1 < tokens.length; t++) {
            if ((tokens[t].equals("-j") || tokens[t].equals("-g")) && tokens[t + 1].equals(chain)) return true;
        }
        return false;
    }
}
