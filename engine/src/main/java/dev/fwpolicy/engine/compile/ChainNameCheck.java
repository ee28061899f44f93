package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import java.util.HashMap;
import java.util.List;

/**
 * Two policies must never share a chain: the second would silently run the first's rules
 * (or the sync would fight itself). {@link ChainNames} makes that impossible short of two
 * long names whose 48-bit hashes meet; this reports even that, at the policy's name.
 */
final class ChainNameCheck {
    private ChainNameCheck() {}

    static void run(List<PolicyDecl> policies, Diagnostics diagnostics) {
        // Both directions cut a name the same way, so one direction's names decide.
        var owners = new HashMap<String, PolicyDecl>();
        for (var p : policies) {
            String chain = ChainNames.policy(Direction.INBOUND, p.name().text());
            var first = owners.putIfAbsent(chain, p);
            if (first != null) {
                diagnostics.add(Diagnostic.error("chain-name-collision", p.name().span(), "policy '" + p.name().text()
                                + "' would get the same chains as policy '" + first.name().text() + "' ("
                                + chain + "); rename one of them")
                        .withRelated(first.name().span(), "the other policy"));
            }
        }
    }
}
