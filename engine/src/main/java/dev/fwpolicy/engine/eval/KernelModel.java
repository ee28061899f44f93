package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.iptables.KernelChain;
import dev.fwpolicy.engine.iptables.ReadBackException;
import dev.fwpolicy.engine.iptables.RuleParser;
import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.ipset.SetChange;
import dev.fwpolicy.engine.ipset.SetShape;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Drift;
import dev.fwpolicy.engine.reconcile.DriftStatus;
import dev.fwpolicy.engine.reconcile.KernelView;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fwpolicy's part of the kernel as a rule set the {@link Evaluator} can walk, built from the
 * one {@link KernelView} (read once, classified once by reconcile): owned chains and the
 * hashed jumps in INPUT/OUTPUT, each rule parsed back from the text the kernel printed (a rule
 * edited in place with its comment kept evaluates as what it now is), and the built-in chains'
 * real policies. Foreign rules are not modelled: a read-back of rules fwpolicy did not write
 * can be lossy.
 *
 * @param drift      the view's classified rules and chains that are drift, in kernel order
 * @param unmodelled rules in fwpolicy's part that the strict parser cannot read into the IR;
 *                   when any exist, no verdict about the kernel is certain
 * @param setDrift   fwpolicy's kernel sets whose members (or existence) differ from the policy's:
 *                   a rule matching such a set is evaluated with the members the kernel holds
 */
public record KernelModel(RuleSet ruleSet, Evaluator.BuiltinPolicy policies, List<Drift> drift, List<String> unmodelled,
                          List<SetChange> setDrift) {

    public KernelModel {
        drift = List.copyOf(drift);
        unmodelled = List.copyOf(unmodelled);
        setDrift = List.copyOf(setDrift);
    }

    /** The families in {@code families} of {@code view} (each must have been read). */
    public static KernelModel of(KernelView view, Set<Family> families) {
        var chains = new ArrayList<OwnedChain>();
        var jumps = new ArrayList<CompiledRule>();
        var drift = new ArrayList<Drift>();
        var unmodelled = new ArrayList<String>();
        Map<Family, Map<Direction, Verdict>> policies = new EnumMap<>(Family.class);
        var sets = modelledSets(view);
        for (Family family : families) {
            var table = view.tables().get(family);
            var plan = view.plan().family(family);
            if (table == null || plan.isEmpty()) throw new IllegalArgumentException(family.label() + " was not read back");
            var perDirection = new EnumMap<Direction, Verdict>(Direction.class);
            for (var d : Direction.values()) {
                String policy = table.chain(ChainNames.builtin(d)).map(KernelChain::policy).orElse("ACCEPT");
                Verdict v;
                if (policy.equals("ACCEPT")) {
                    v = Verdict.ALLOW;
                } else if (policy.equals("DROP")) {
                    v = Verdict.DENY;
                } else {
                    unmodelled.add(family.label() + " " + ChainNames.builtin(d) + " policy " + policy);
                    v = Verdict.DENY;
                }
                perDirection.put(d, v);
            }
            policies.put(family, perDirection);
            var owned = new LinkedHashMap<String, List<CompiledRule>>();
            for (var chain : table.chains().values()) {
                if (ChainNames.isOwned(chain.name())) owned.put(chain.name(), new ArrayList<>());
            }
            int anonymous = 0;
            for (Drift d : plan.get().drift()) {
                if (d.status().isDrift()) drift.add(d);
                if (d.kernel().isEmpty() || d.status() == DriftStatus.FOREIGN) continue;
                var k = d.kernel().get();
                String id = k.id().orElse("kernel-" + k.chain() + "-" + (++anonymous));
                try {
                    var parsed = RuleParser.parse(family, k.chain(), k.spec(), sets);
                    if (parsed.target() instanceof Target.Jump j && !owned.containsKey(j.chain())) {
                        throw new ReadBackException("jump to " + j.chain() + ", not one of fwpolicy's chains: " + k.saveLine());
                    }
                    var rule = new CompiledRule(id, family, k.chain(), parsed.match(), parsed.target(),
                            d.desired().map(CompiledRule::label).orElse(""), origin(d));
                    // Answers about this rule quote the line the kernel holds, not a re-rendering.
                    RuleSpecs.printed(rule, k.spec());
                    if (owned.containsKey(k.chain())) owned.get(k.chain()).add(rule);
                    else jumps.add(rule);
                } catch (ReadBackException e) {
                    unmodelled.add(family.label() + " " + d.status().label() + ": " + e.getMessage());
                }
            }
            owned.forEach((name, rules) -> chains.add(new OwnedChain(family, name, rules)));
        }
        Evaluator.BuiltinPolicy builtin = (f, d) -> policies.getOrDefault(f, Map.of()).getOrDefault(d, Verdict.ALLOW);
        var setDrift = view.plan().sets().changes().stream().filter(c -> c.missingMembers() + c.extraMembers() > 0).toList();
        return new KernelModel(new RuleSet(chains, jumps, "kernel"), builtin, drift, unmodelled, setDrift);
    }

    /**
     * fwpolicy's hash:net sets as the kernel holds them, each named after the policy's set when a
     * desired rule matches it (so an explanation says {@code $clients}, not only the kernel name).
     * A set of another type or with options is left out: a rule matching it is not modelled.
     */
    static Map<String, NetworkSet> modelledSets(KernelView view) {
        var declared = new java.util.HashMap<String, NetworkSet>();
        view.plan().families().forEach(f -> f.drift().forEach(d -> d.desired().ifPresent(r -> {
            r.match().source().flatMap(a -> a.set()).ifPresent(x -> declared.put(x.name(), x));
            r.match().destination().flatMap(a -> a.set()).ifPresent(x -> declared.put(x.name(), x));
        })));
        var out = new java.util.HashMap<String, NetworkSet>();
        view.sets().owned().forEach((name, set) -> {
            var family = set.shape().addressFamily();
            if (family.isEmpty() || !set.shape().type().equals(SetShape.HASH_NET) || !set.shape().otherOptions().isEmpty()) return;
            var want = java.util.Optional.ofNullable(declared.get(name));
            out.put(name, new NetworkSet(name, want.map(NetworkSet::policy).orElse("?"), want.map(NetworkSet::set).orElse(name),
                    family.get(), set.members(), want.map(NetworkSet::dynamic).orElse(java.util.List.of())));
        });
        return out;
    }

    /** An evaluator over the kernel's rules and policies. */
    public Evaluator evaluator() {
        return new Evaluator(ruleSet, policies);
    }

    /** Where a kernel rule came from: the desired rule's statement (by identity), marked when the copy differs. */
    private static RuleOrigin origin(Drift d) {
        var k = d.kernel().orElseThrow();
        if (d.desired().isEmpty()) {
            return RuleOrigin.implicit(RuleOrigin.Kind.RULE, "[not in policy] " + k.saveLine());
        }
        var o = d.desired().get().origin();
        if (d.status() != DriftStatus.TAMPERED) return o;
        return new RuleOrigin(o.kind(), o.policy(), o.span(), "[kernel copy differs from policy] " + o.text(), o.note());
    }
}
