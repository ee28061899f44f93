package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.dataplane.KernelChain;
import dev.fwpolicy.engine.dataplane.KernelRule;
import dev.fwpolicy.engine.dataplane.KernelTable;
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
 * Diffs one family's read-back against the desired rule set and plans the smallest restore
 * transaction that makes them equal. Pure: no I/O, so every kernel state it can meet is
 * unit-testable.
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
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, CompiledRule> written = new LinkedHashMap<>();
    private int added, removed, moved, repaired, unchanged;

    private Planner(RuleSet desired, Family family, KernelTable actual, ExpectedPrints prints) {
        this.desired = desired;
        this.family = family;
        this.actual = actual;
        this.prints = prints;
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
            if (!chain.builtin() && RuleSet.isOwnedChain(chain.name()) && !desiredChains.contains(chain.name())) {
                planStaleChain(chain);
            }
        }
        var ops = new ArrayList<PlanOp>(declares.size() + ownedOps.size() + builtinOps.size() + chainDeletes.size());
        ops.addAll(declares);
        ops.addAll(ownedOps);
        ops.addAll(builtinOps);
        ops.addAll(chainDeletes);
        return new FamilyPlan(family, ops, new ChangeCounts(added, removed, moved, repaired, unchanged), changes, written);
    }

    private void planOwnedChain(OwnedChain chain) {
        String name = chain.name();
        List<CompiledRule> want = chain.rules();
        Optional<KernelChain> kernel = actual.chain(name);
        if (kernel.isEmpty()) {
            declares.add(new PlanOp.DeclareChain(name));
            changes.add(new Change(Change.Kind.CREATE_CHAIN, family, name, Optional.empty(), ":" + name));
            for (CompiledRule r : want) {
                ownedOps.add(new PlanOp.AppendRule(name, r.spec()));
                changes.add(new Change(Change.Kind.ADD, family, name, Optional.of(r.id()), r.saveLine()));
                written.put(r.id(), r);
            }
            added += want.size();
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
                good[k] = r.spec().equals(prints.expected(want.get(i)));
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
        int chainMoved = 0, chainRepaired = 0, chainAdded = 0, chainUnchanged = 0, reinserted = 0;
        for (int k = 0; k < have.size(); k++) if (!keep[k]) deletes++;
        List<Change> chainChanges = new ArrayList<>();
        for (int i = 0; i < want.size(); i++) {
            CompiledRule r = want.get(i);
            if (keptAt[i] >= 0) {
                if (good[keptAt[i]]) {
                    chainUnchanged++;
                } else {
                    replaces++;
                    chainRepaired++;
                    chainChanges.add(new Change(Change.Kind.REPAIR, family, name, Optional.of(r.id()), r.saveLine()));
                }
            } else {
                inserts++;
                if (anyCopy[i]) {
                    reinserted++;
                    boolean isMove = anyGood[i];
                    if (isMove) chainMoved++; else chainRepaired++;
                    chainChanges.add(new Change(isMove ? Change.Kind.MOVE : Change.Kind.REPAIR, family, name, Optional.of(r.id()), r.saveLine()));
                } else {
                    chainAdded++;
                    chainChanges.add(new Change(Change.Kind.ADD, family, name, Optional.of(r.id()), r.saveLine()));
                }
            }
        }
        // Each re-inserted rule accounts for one deleted copy; every other deletion is a removal.
        Set<Integer> reinsertSourceTaken = new HashSet<>();
        for (int k = 0; k < have.size(); k++) {
            if (keep[k]) continue;
            int i = desiredIndex[k];
            if (i >= 0 && keptAt[i] < 0 && reinsertSourceTaken.add(i)) continue;
            chainChanges.add(new Change(Change.Kind.REMOVE, family, name, have.get(k).id(), have.get(k).saveLine()));
        }
        int cost = deletes + inserts + replaces;
        added += chainAdded;
        moved += chainMoved;
        repaired += chainRepaired;
        unchanged += chainUnchanged;
        removed += deletes - reinserted;
        changes.addAll(chainChanges);
        if (cost == 0) return;
        if (cost > 1 + want.size()) {
            declares.add(new PlanOp.DeclareChain(name));
            for (CompiledRule r : want) {
                ownedOps.add(new PlanOp.AppendRule(name, r.spec()));
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
            ownedOps.add(i + 1 > size ? new PlanOp.AppendRule(name, r.spec()) : new PlanOp.InsertRule(name, i + 1, r.spec()));
            size++;
            written.put(r.id(), r);
        }
        for (int i = 0; i < want.size(); i++) {
            if (keptAt[i] >= 0 && !good[keptAt[i]]) {
                ownedOps.add(new PlanOp.ReplaceRule(name, i + 1, want.get(i).spec()));
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
            // A jump with only tampered copies: the first is counted as repaired, the others as removed.
            if (wantById.containsKey(id) && !kept.containsKey(id) && repairs.add(id)) continue;
            removed++;
            changes.add(new Change(Change.Kind.REMOVE, family, name, r.id(), r.saveLine()));
        }
        // Jumps to (re)insert at the top, in desired order: the last one first.
        List<CompiledRule> insert = want.stream().filter(j -> !kept.containsKey(j.id()) || topAgain.contains(j.id())).toList();
        for (int m = insert.size() - 1; m >= 0; m--) {
            CompiledRule j = insert.get(m);
            builtinOps.add(new PlanOp.InsertRule(name, 1, j.spec()));
            written.put(j.id(), j);
        }
        for (CompiledRule j : want) {
            if (topAgain.contains(j.id())) {
                moved++;
                changes.add(new Change(Change.Kind.MOVE, family, name, Optional.of(j.id()), j.saveLine()));
            } else if (kept.containsKey(j.id())) {
                unchanged++;
            } else if (repairs.contains(j.id())) {
                repaired++;
                changes.add(new Change(Change.Kind.REPAIR, family, name, Optional.of(j.id()), j.saveLine()));
            } else {
                added++;
                changes.add(new Change(Change.Kind.ADD, family, name, Optional.of(j.id()), j.saveLine()));
            }
        }
    }

    private void planStaleChain(KernelChain chain) {
        boolean referencedByForeignRule = actual.chains().values().stream()
                .filter(c -> !RuleSet.isOwnedChain(c.name()))
                .flatMap(c -> c.rules().stream())
                .filter(r -> !(actual.chain(r.chain()).map(KernelChain::builtin).orElse(false) && r.id().isPresent()))
                .anyMatch(r -> targets(r.spec(), chain.name()));
        if (chain.rules().isEmpty() && referencedByForeignRule) return;
        if (!chain.rules().isEmpty()) declares.add(new PlanOp.DeclareChain(chain.name()));
        for (KernelRule r : chain.rules()) changes.add(new Change(Change.Kind.REMOVE, family, chain.name(), r.id(), r.saveLine()));
        removed += chain.rules().size();
        // A chain someone else jumps to can only be emptied: deleting it would fail the whole transaction.
        if (!referencedByForeignRule) {
            chainDeletes.add(new PlanOp.DeleteChain(chain.name()));
            changes.add(new Change(Change.Kind.DELETE_CHAIN, family, chain.name(), Optional.empty(), "-X " + chain.name()));
        }
    }

    private static boolean targets(String spec, String chain) {
        String[] tokens = spec.split(" ");
        for (int t = 0; t + 1 < tokens.length; t++) {
            if ((tokens[t].equals("-j") || tokens[t].equals("-g")) && tokens[t + 1].equals(chain)) return true;
        }
        return false;
    }
}
