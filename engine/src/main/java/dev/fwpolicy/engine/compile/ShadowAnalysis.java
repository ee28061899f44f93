package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.ast.RuleDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Warns about written rules that can never decide a packet because an earlier rule of the
 * same direction (in any policy that runs before) already decides every packet they match.
 * A written rule is shadowed only when each of its iptables rules is covered by one earlier
 * deciding rule; LOG rules decide nothing and shadow nothing.
 */
final class ShadowAnalysis {
    private ShadowAnalysis() {}

    /**
     * Exact comparisons allowed in one analysis. The index makes ordinary policies cost about
     * one per rule; only a hostile shape (thousands of distinct multi-port lists on the same
     * addresses) could need more, and then the analysis stops with a warning rather than
     * holding up every reload for minutes.
     */
    static final long MAX_COMPARISONS = 20_000_000;

    /** {@code lowered} must be in evaluation order (policy priority, then written order). */
    static void run(List<LoweredRule> lowered, Diagnostics diagnostics) {
        run(lowered, diagnostics, MAX_COMPARISONS);
    }

    static void run(List<LoweredRule> lowered, Diagnostics diagnostics, long maxComparisons) {
        var byDecl = new IdentityHashMap<RuleDecl, List<LoweredRule>>();
        var order = new LinkedHashMap<RuleDecl, Boolean>();
        for (var r : lowered) {
            byDecl.computeIfAbsent(r.decl(), k -> new ArrayList<>()).add(r);
            order.putIfAbsent(r.decl(), true);
        }
        var budget = new CoverIndex.Budget(maxComparisons);
        // One index per family and direction, by ordinal: a string key cost two allocations a rule.
        var earlier = new CoverIndex[Family.values().length * Direction.values().length];
        for (var decl : order.keySet()) {
            var rules = byDecl.get(decl);
            LoweredRule shadower = null;
            for (var r : rules) {
                var index = earlier[key(r.family(), r.direction())];
                var found = index == null ? Optional.<LoweredRule>empty() : index.findCover(r, budget);
                if (found.isEmpty()) {
                    shadower = null;
                    break;
                }
                if (shadower == null) shadower = found.get();
            }
            if (budget.spent()) {
                diagnostics.warning("shadow-analysis-incomplete", decl.span(), String.format(java.util.Locale.ROOT, "shadowed rules were looked for"
                        + " up to here only: the policies need more than %,d rule comparisons (many different port lists"
                        + " on the same addresses)", maxComparisons));
                return;
            }
            if (shadower != null) {
                var s = shadower.decl();
                diagnostics.add(Diagnostic.warning("shadowed-rule", decl.span(), "this rule never decides a packet: an earlier rule"
                                + (shadower.policy() == rules.get(0).policy() ? "" : " of policy '" + shadower.policy().name().text() + "'")
                                + " already " + verb(s) + " every packet it matches")
                        .withRelated(s.span(), "shadowed by this rule"));
            }
            // An audited policy's rules decide nothing (the packet goes on to the next policy): they shadow nothing.
            if (decl.action().isTerminal() && !rules.get(0).policy().audit()) {
                for (var r : rules) {
                    int k = key(r.family(), r.direction());
                    if (earlier[k] == null) earlier[k] = new CoverIndex();
                    earlier[k].add(r);
                }
            }
        }
    }

    private static String verb(RuleDecl d) {
        return switch (d.action()) {
            case ALLOW -> "allows";
            case DENY -> "denies";
            case REJECT -> "rejects";
            case LOG -> "logs";
        };
    }

    private static int key(Family f, Direction d) {
        return f.ordinal() * Direction.values().length + d.ordinal();
    }
}
