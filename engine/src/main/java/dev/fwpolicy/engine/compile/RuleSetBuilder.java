package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.ir.*;
import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.iptables.RuleIdentity;
import dev.fwpolicy.engine.iptables.RuleRenderer;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.source.SourceText;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lays lowered rules out in chains and gives every rule its identity. Per family and
 * direction: the built-in chain jumps to FWP-INPUT / FWP-OUTPUT, which holds the loopback
 * rule, one jump per policy (priority order) and the default; each policy's rules live in
 * its own chain, so falling off its end moves on to the next policy.
 */
final class RuleSetBuilder {
    private final Map<String, SourceFile> sources;
    private final List<OwnedChain> chains = new ArrayList<>();
    private final List<CompiledRule> jumps = new ArrayList<>();

    RuleSetBuilder(Map<String, SourceFile> sources) {
        this.sources = sources;
    }

    RuleSet build(List<PolicyDecl> orderedPolicies, List<LoweredRule> lowered, Map<Direction, EffectiveDefault> defaults,
                  String revision, List<NetworkSet> sets) {
        // Each policy's rules, in order, found once: looking them up in the whole list per policy
        // made 40,000 one-rule policies cost 24 s of CPU.
        var byPolicy = new java.util.IdentityHashMap<PolicyDecl, List<LoweredRule>>();
        for (var r : lowered) byPolicy.computeIfAbsent(r.policy(), k -> new ArrayList<>()).add(r);
        for (var family : Family.values()) {
            for (var direction : Direction.values()) {
                buildDirection(family, direction, orderedPolicies, byPolicy, defaults.get(direction));
            }
        }
        return new RuleSet(chains, jumps, revision, sets);
    }

    private void buildDirection(Family family, Direction direction, List<PolicyDecl> policies,
                                Map<PolicyDecl, List<LoweredRule>> byPolicy, EffectiveDefault dflt) {
        String entry = ChainNames.entry(direction);
        var entryRules = new ChainRules(family, entry);
        entryRules.add(Match.loopback(), new Target.Accept(), RuleOrigin.implicit(RuleOrigin.Kind.LOOPBACK,
                "implicit: loopback traffic is always allowed"), "loopback");

        var policyChains = new ArrayList<OwnedChain>();
        for (var policy : policies) {
            String name = ChainNames.policy(direction, policy.name().text());
            var rules = new ChainRules(family, name);
            for (var r : byPolicy.getOrDefault(policy, List.of())) {
                if (r.family() != family || r.direction() != direction) continue;
                var span = r.decl().span();
                var origin = new RuleOrigin(RuleOrigin.Kind.RULE, Optional.of(policy.name().text()), span,
                        SourceText.slice(sources.get(span.file()), span), r.decl().note().map(n -> n.text()));
                // Policy name and note only: no line number, so inserting a line at the top of a
                // file rewrites no kernel comment. file:line:col is looked up by identity.
                String human = policy.name().text() + r.decl().note().map(n -> " " + n.text()).orElse("");
                if (policy.audit()) addAudited(rules, r, origin, human, policy.name().text());
                else rules.add(r.match(), r.target(), origin, human);
            }
            if (rules.isEmpty()) continue;
            policyChains.add(rules.chain());
            var origin = new RuleOrigin(RuleOrigin.Kind.DISPATCH, Optional.of(policy.name().text()), policy.name().span(),
                    "policy " + policy.name().text() + " priority " + policy.effectivePriority(), Optional.empty());
            entryRules.add(Match.any(), new Target.Jump(name), origin, "policy " + policy.name().text());
        }

        var target = Targets.of(dflt.verdict(), family);
        String text = "default " + direction.keyword() + " " + dflt.verdict().keyword() + (dflt.audit() ? " audit" : "");
        Optional<dev.fwpolicy.engine.vocabulary.Verdict> audited = dflt.audit() ? Optional.of(dflt.verdict()) : Optional.empty();
        RuleOrigin origin = dflt.decl()
                .map(d -> new RuleOrigin(RuleOrigin.Kind.DEFAULT, dflt.policy().map(p -> p.name().text()), d.span(), text,
                        Optional.<String>empty(), audited))
                .orElseGet(() -> RuleOrigin.implicit(RuleOrigin.Kind.DEFAULT, text + " (implicit: no default declared)"));
        String human = text + dflt.decl().map(d -> " " + dflt.policy().orElseThrow().name().text()).orElse("");
        if (dflt.audit()) {
            // Every packet that reaches the default is a would-deny: log a few, count all (the accept's counters).
            entryRules.add(Match.any(), new Target.AuditLog(Targets.auditPrefix("default")), origin, human + " log");
            target = new Target.Accept();
        }
        entryRules.add(Match.any(), target, origin, human);

        chains.add(entryRules.chain());
        chains.addAll(policyChains);

        var builtin = new ChainRules(family, ChainNames.builtin(direction));
        builtin.add(Match.any(), new Target.Jump(entry), RuleOrigin.implicit(RuleOrigin.Kind.DISPATCH,
                "fwpolicy entry: " + ChainNames.builtin(direction) + " -> " + entry), "fwpolicy");
        jumps.addAll(builtin.rules);
    }

    /**
     * A rule of an audited policy records what it would decide and lets the packet go on to the
     * next policy: an allow returns (its counters count the would-allows), a deny or reject logs
     * (rate-limited) and returns (that return's counters count every would-deny), a log logs.
     * Returning rather than going on in the same chain keeps "first match decides": the rules
     * after the one that would have decided are not consulted, as they would not be if enforced.
     */
    private static void addAudited(ChainRules rules, LoweredRule r, RuleOrigin origin, String human, String policy) {
        var t = r.target();
        if (t instanceof Target.Log) {
            rules.add(r.match(), t, origin, human);
            return;
        }
        var verdict = t instanceof Target.Accept ? dev.fwpolicy.engine.vocabulary.Verdict.ALLOW
                : t instanceof Target.Drop ? dev.fwpolicy.engine.vocabulary.Verdict.DENY : dev.fwpolicy.engine.vocabulary.Verdict.REJECT;
        var audited = new RuleOrigin(origin.kind(), origin.policy(), origin.span(), origin.text(), origin.note(), Optional.of(verdict));
        if (verdict != dev.fwpolicy.engine.vocabulary.Verdict.ALLOW) {
            rules.add(r.match(), new Target.AuditLog(Targets.auditPrefix(policy)), audited, human);
        }
        rules.add(r.match(), new Target.Return(), audited, human);
    }

    /** Collects a chain's rules, numbering identical bodies so each still gets its own identity. */
    private static final class ChainRules {
        private final Family family;
        private final String chain;
        private final List<CompiledRule> rules = new ArrayList<>();
        private final Map<String, Integer> occurrences = new HashMap<>();

        ChainRules(Family family, String chain) {
            this.family = family;
            this.chain = chain;
        }

        /**
         * The identity is fwp1's: a hash of the rule's iptables spelling (frozen bytes), so the
         * iptables layer computes it; the rule itself stays values.
         */
        void add(Match match, Target target, RuleOrigin origin, String human) {
            String body = RuleRenderer.body(family, match, target, chain);
            int occurrence = occurrences.merge(body, 1, Integer::sum) - 1;
            String id = RuleIdentity.hash(family, FilterTable.NAME, chain, body, occurrence);
            rules.add(new CompiledRule(id, family, chain, match, target, human, origin));
        }

        boolean isEmpty() {
            return rules.isEmpty();
        }

        OwnedChain chain() {
            return new OwnedChain(family, chain, rules);
        }
    }
}
