package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.Target;
import java.util.List;
import java.util.Optional;

/**
 * The answer for one flow: what happens to it and which rule decided.
 *
 * @param rule  the deciding rule; empty only when the walk fell off the end of the built-in
 *              chain and its own policy decided, which a compiled rule set never
 *              allows (FWP-INPUT/OUTPUT end with the default rule) but a read-back kernel can
 * @param trace every rule consulted, in order; empty when asked for the verdict only
 * @param audit the rules of audited policies (or an audited default) that would have denied or
 *              rejected the flow, in walk order: recorded, not enforced, so they did not decide
 */
public record Decision(Flow flow, Verdict verdict, Optional<CompiledRule> rule, List<Step> trace, List<CompiledRule> audit) {

    /** A decision no audited rule saw. */
    public Decision(Flow flow, Verdict verdict, Optional<CompiledRule> rule, List<Step> trace) {
        this(flow, verdict, rule, trace, List.of());
    }

    /**
     * {@code audit: would deny by web.fwpolicy:5:5}: what audited rules would have done, one clause
     * each; empty when none would have refused the flow.
     */
    public Optional<String> auditText() {
        if (audit.isEmpty()) return Optional.empty();
        var parts = audit.stream().map(r -> "would " + r.origin().audited().orElseThrow().keyword() + " by "
                + DecidingRule.location(r)).toList();
        return Optional.of("audit: " + String.join("; ", parts));
    }

    /** What decides when no rule did: the built-in chain's own policy. */
    public String builtinPolicy() {
        return DecidingRule.builtinPolicy(verdict);
    }

    public Decision {
        trace = List.copyOf(trace);
        audit = List.copyOf(audit);
    }

    public Optional<String> ruleId() {
        return rule.map(CompiledRule::id);
    }

    /** {@code file:line:col} of the deciding statement, or what decided when nothing written did. */
    public String location() {
        return DecidingRule.location(verdict, rule);
    }

    /** The deciding statement as written. */
    public String text() {
        return DecidingRule.text(verdict, rule);
    }

    /** Rules that matched on the way (jumps, logs and the deciding rule), in order. */
    public List<CompiledRule> matchedRules() {
        return trace.stream().filter(Step::matched).map(Step::rule).toList();
    }

    /** A human explanation: the verdict, the deciding rule and the walk that led there. */
    public String explain() {
        var sb = new StringBuilder();
        sb.append(flow.text()).append('\n');
        sb.append("  => ").append(verdict.keyword().toUpperCase(java.util.Locale.ROOT))
                .append(" by ").append(location()).append(": ").append(text());
        auditText().ifPresent(a -> sb.append("  (").append(a).append(')'));
        rule.ifPresent(r -> {
            r.origin().policy().ifPresent(p -> sb.append("  [policy ").append(p).append(']'));
            // The statement as written usually carries its note already.
            r.origin().note().filter(n -> !r.origin().text().contains(n)).ifPresent(n -> sb.append("  \"").append(n).append('"'));
            sb.append("  (rule ").append(r.id()).append(')');
        });
        sb.append('\n');
        for (String line : setMatches()) sb.append("  ").append(line).append('\n');
        if (!trace.isEmpty()) sb.append("  trace:\n");
        for (var s : trace) {
            sb.append("    ").append("  ".repeat(s.depth()));
            var r = s.rule();
            sb.append(r.chain()).append(' ');
            if (s.matched()) {
                if (r.target() instanceof Target.Jump j) sb.append("matched, jump ").append(j.chain());
                else if (r.target() instanceof Target.Log || r.target() instanceof Target.AuditLog) sb.append("matched, log");
                else if (r.target() instanceof Target.Return) sb.append("matched, return (audit: would ")
                        .append(r.origin().audited().map(v -> v.keyword()).orElse("decide")).append(')');
                else sb.append("matched, ").append(r.target().label());
            } else {
                sb.append("no match (").append(s.mismatch().get()).append(')');
            }
            sb.append("  ").append(describe(r.origin())).append('\n');
        }
        return sb.toString();
    }

    /**
     * For a deciding rule that matches a kernel set: which set, and which of its members held
     * the address (or that none did, for {@code not $set}).
     */
    public List<String> setMatches() {
        if (rule.isEmpty()) return List.of();
        var out = new java.util.ArrayList<String>();
        var m = rule.get().match();
        setMatch("source", m.source(), flow.source()).ifPresent(out::add);
        setMatch("destination", m.destination(), flow.destination()).ifPresent(out::add);
        return out;
    }

    private static Optional<String> setMatch(String field, Optional<dev.fwpolicy.engine.ir.AddressMatch> match,
                                             Optional<dev.fwpolicy.engine.net.Address> address) {
        if (match.isEmpty() || match.get().set().isEmpty() || address.isEmpty()) return Optional.empty();
        var set = match.get().set().get();
        var a = address.get();
        var member = set.memberContaining(a.hi(), a.lo());
        // A member that came from the cluster says which dynamic set, selector and pod put it there.
        var from = set.provenance(a);
        String where = from.isPresent() ? "$" + set.set() + " (kernel set " + set.name() + ")" : Evaluator.describe(set);
        return Optional.of(member.map(c -> field + " " + a + " is in " + where + " as member " + c.source() + from.map(p -> ", from " + p).orElse(""))
                .orElse(field + " " + a + " is not in " + where));
    }

    private static String describe(RuleOrigin o) {
        String where = o.span().line() > 0 ? o.span().location() + " " : "";
        return where + o.text();
    }
}
