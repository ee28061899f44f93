package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.ast.RuleDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warns about written rules that can never decide a packet because an earlier rule of the
 * same direction (in any policy that runs before) already decides every packet they match.
 * A written rule is shadowed only when each of its iptables rules is covered by one earlier
 * deciding rule; LOG rules decide nothing and shadow nothing.
 */
final class ShadowAnalysis {
    private ShadowAnalysis() {}

    /** {@code lowered} must be in evaluation order (policy priority, then written order). */
    static void run(List<LoweredRule> lowered, Diagnostics diagnostics) {
        var byDecl = new IdentityHashMap<RuleDecl, List<LoweredRule>>();
        var order = new LinkedHashMap<RuleDecl, Boolean>();
        for (var r : lowered) {
            byDecl.computeIfAbsent(r.decl(), k -> new ArrayList<>()).add(r);
            order.putIfAbsent(r.decl(), true);
        }
        var earlier = new HashMap<String, Index>();
        for (var decl : order.keySet()) {
            var rules = byDecl.get(decl);
            LoweredRule shadower = null;
            for (var r : rules) {
                var index = earlier.get(key(r.family(), r.direction()));
                var found = index == null ? null : index.findCover(r);
                if (found == null) {
                    shadower = null;
                    break;
                }
                if (shadower == null) shadower = found;
            }
            if (shadower != null) {
                var s = shadower.decl();
                diagnostics.add(Diagnostic.warning("shadowed-rule", decl.span(), "this rule never decides a packet: an earlier rule"
                                + (shadower.policy() == rules.get(0).policy() ? "" : " of policy '" + shadower.policy().name().text() + "'")
                                + " already " + verb(s) + " every packet it matches")
                        .withRelated(s.span(), "shadowed by this rule"));
            }
            if (decl.action().isTerminal()) {
                for (var r : rules) earlier.computeIfAbsent(key(r.family(), r.direction()), k -> new Index()).add(r);
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

    private static String key(Family f, Direction d) {
        return f + "/" + d;
    }

    /**
     * Earlier deciding rules, indexed by their single destination port when they have one,
     * so a large policy of port rules is checked in near-linear time.
     */
    private static final class Index {
        private final Map<Integer, List<LoweredRule>> bySinglePort = new HashMap<>();
        private final List<LoweredRule> others = new ArrayList<>();

        void add(LoweredRule r) {
            var ports = r.match().destinationPorts();
            if (ports.size() == 1 && ports.get(0).isSingle()) {
                bySinglePort.computeIfAbsent(ports.get(0).from(), k -> new ArrayList<>()).add(r);
            } else {
                others.add(r);
            }
        }

        LoweredRule findCover(LoweredRule r) {
            for (var o : others) if (Coverage.covers(o.match(), r.match())) return o;
            var ports = r.match().destinationPorts();
            if (ports.size() == 1 && ports.get(0).isSingle()) {
                for (var o : bySinglePort.getOrDefault(ports.get(0).from(), List.of())) {
                    if (Coverage.covers(o.match(), r.match())) return o;
                }
            }
            return null;
        }
    }
}
