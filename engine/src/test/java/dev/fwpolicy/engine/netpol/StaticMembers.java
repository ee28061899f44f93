package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.ast.DynamicSetDecl;
import dev.fwpolicy.engine.check.DynamicSets;
import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.MemberResolver;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests only: rewrites every dynamic set of a policy text into a static set of the
 * members it has in one snapshot. The evaluator cannot evaluate dynamic sets until kernel
 * sets exist; this lets a test ask for verdicts over one frozen cluster. An empty set is
 * written as addresses of the documentation ranges that no generated flow uses, since
 * fwpolicy refuses an empty set.
 */
final class StaticMembers {
    static final String NOBODY_V4 = "192.0.2.255";
    static final String NOBODY_V6 = "2001:db8:ffff::ffff";

    private StaticMembers() {}

    static String freeze(String text, ClusterSnapshot cluster, String ownNamespace) {
        var diagnostics = new Diagnostics();
        var file = new PolicyParser().parse(new SourceFile("imported.fwpolicy", text), diagnostics)
                .orElseThrow(() -> new AssertionError("imported text does not parse: " + diagnostics.sorted()));
        var lines = new ArrayList<>(List.of(text.split("\n", -1)));
        var resolver = new MemberResolver(cluster);
        for (var policy : file.policies()) {
            for (var item : policy.items()) {
                if (!(item instanceof DynamicSetDecl d)) continue;
                var members = resolver.members(DynamicSets.memberSource(d.source(), ownNamespace)).stream()
                        .map(m -> m.address().text()).toList();
                if (members.isEmpty()) members = List.of(NOBODY_V4, NOBODY_V6);
                int line = d.span().line() - 1;
                if (d.span().endLine() != d.span().line()) throw new AssertionError("a set declaration on several lines");
                lines.set(line, "  set " + d.name().text() + " = { " + String.join(", ", members) + " }");
            }
        }
        return String.join("\n", lines);
    }
}
