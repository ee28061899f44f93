package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.DefaultDecl;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One default per direction for the whole rule set. Several policies may repeat the same
 * default; different ones are an error, since no order between them would be obvious.
 */
final class DefaultsCheck {
    private DefaultsCheck() {}

    static Map<Direction, EffectiveDefault> resolve(List<PolicyDecl> orderedPolicies, Diagnostics diagnostics) {
        var out = new EnumMap<Direction, EffectiveDefault>(Direction.class);
        for (var policy : orderedPolicies) {
            var seenHere = new EnumMap<Direction, DefaultDecl>(Direction.class);
            for (var item : policy.items()) {
                if (!(item instanceof DefaultDecl d)) continue;
                if (d.audit() && d.verdict() == dev.fwpolicy.engine.vocabulary.Verdict.ALLOW) {
                    diagnostics.add(Diagnostic.error("audit-allow", d.span(), "'default " + d.direction().keyword()
                            + " allow audit' records nothing: audit is for deny and reject (it accepts and counts what they would refuse)"));
                    continue;
                }
                var dup = seenHere.putIfAbsent(d.direction(), d);
                if (dup != null) {
                    diagnostics.add(Diagnostic.error("duplicate-default", d.span(), "policy '" + policy.name().text()
                                    + "' already declares a default for " + d.direction().keyword())
                            .withRelated(dup.span(), "first declared here"));
                    continue;
                }
                var existing = out.get(d.direction());
                if (existing == null) {
                    out.put(d.direction(), new EffectiveDefault(d.direction(), d.verdict(), Optional.of(policy), Optional.of(d)));
                } else if (existing.verdict() != d.verdict() || existing.audit() != d.audit()) {
                    diagnostics.add(Diagnostic.error("conflicting-default", d.span(), "default " + d.direction().keyword() + " "
                                    + d.verdict().keyword() + (d.audit() ? " audit" : "") + " conflicts with default "
                                    + d.direction().keyword() + " " + existing.verdict().keyword() + (existing.audit() ? " audit" : "")
                                    + " of policy '" + existing.policy().orElseThrow().name().text() + "'")
                            .withRelated(existing.decl().orElseThrow().span(), "the other default is declared here"));
                }
            }
        }
        for (var dir : Direction.values()) out.putIfAbsent(dir, EffectiveDefault.implicit(dir));
        return out;
    }
}
