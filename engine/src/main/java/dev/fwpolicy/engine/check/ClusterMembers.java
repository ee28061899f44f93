package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.DynamicSetDecl;
import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.cluster.DynamicMembers;
import dev.fwpolicy.engine.cluster.MemberResolver;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The members of each dynamic set in one compile, resolved once per declaration from the
 * compile's {@link ClusterInput}; empty when it has no snapshot (whether that is an error is
 * decided where a rule uses the set, by the caller that knows the input).
 */
public final class ClusterMembers {
    private final ClusterInput input;
    private final MemberResolver resolver;
    private final Map<DynamicSetDecl, DynamicMembers> resolved = new IdentityHashMap<>();

    public ClusterMembers(ClusterInput input) {
        this.input = input;
        this.resolver = new MemberResolver(input.snapshot().orElse(dev.fwpolicy.engine.cluster.ClusterSnapshot.EMPTY));
    }

    public ClusterInput input() {
        return input;
    }

    DynamicMembers of(DynamicSetDecl decl) {
        return resolved.computeIfAbsent(decl, d -> {
            var follows = DynamicSets.memberSource(d.source(), input.ownNamespace());
            return new DynamicMembers(d.name().text(), d.source().text(), follows,
                    input.snapshot().isEmpty() ? java.util.List.of() : resolver.members(follows));
        });
    }
}
