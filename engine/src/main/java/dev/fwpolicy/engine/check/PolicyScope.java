package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.AddressSetDecl;
import dev.fwpolicy.engine.ast.Addresses;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.ast.PortSet;
import dev.fwpolicy.engine.ast.PortSetDecl;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.PortRange;
import java.util.List;
import java.util.Optional;

/** Resolves the names of one policy for the lowering step (sets and port sets, by reference). */
public final class PolicyScope {
    private final SetResolver resolver;

    private PolicyScope(SetResolver resolver) {
        this.resolver = resolver;
    }

    /** Without a cluster: dynamic sets resolve to no members (see {@link ClusterMembers}). */
    public static PolicyScope of(PolicyDecl policy, Diagnostics diagnostics, int maxNesting) {
        return of(policy, diagnostics, maxNesting, new ClusterMembers(dev.fwpolicy.engine.cluster.ClusterInput.NONE));
    }

    /** Dynamic sets take their members from {@code cluster}, shared by every policy of one compile. */
    public static PolicyScope of(PolicyDecl policy, Diagnostics diagnostics, int maxNesting, ClusterMembers cluster) {
        return new PolicyScope(new SetResolver(Scope.of(policy, diagnostics), diagnostics, maxNesting, cluster));
    }

    public Optional<ResolvedAddresses> addresses(Addresses addresses) {
        return resolver.addresses(addresses);
    }

    public Optional<List<PortRange>> ports(PortSet ports) {
        return resolver.ports(ports);
    }

    /** Resolves every declared set once, so that errors in unused sets are reported too. */
    public void checkAllDeclarations(PolicyDecl policy) {
        for (var item : policy.items()) {
            if (item instanceof AddressSetDecl s) resolver.addresses(s.set());
            if (item instanceof PortSetDecl p) resolver.ports(p.set());
        }
    }
}
