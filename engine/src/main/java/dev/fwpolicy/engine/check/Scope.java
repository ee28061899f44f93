package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.AddressSetDecl;
import dev.fwpolicy.engine.ast.DynamicSetDecl;
import dev.fwpolicy.engine.ast.Name;
import dev.fwpolicy.engine.ast.PolicyDecl;
import dev.fwpolicy.engine.ast.PolicyItem;
import dev.fwpolicy.engine.ast.PortSetDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names a policy declares. Address sets and port sets share one namespace so that
 * using one where the other is expected is a clear "wrong kind" error, not "undefined".
 */
final class Scope {
    private final Map<String, PolicyItem> items = new LinkedHashMap<>();

    static Scope of(PolicyDecl policy, Diagnostics diagnostics) {
        var scope = new Scope();
        for (var item : policy.items()) {
            Optional<Name> name = item instanceof AddressSetDecl s ? Optional.of(s.name())
                    : item instanceof DynamicSetDecl d ? Optional.of(d.name())
                    : item instanceof PortSetDecl p ? Optional.of(p.name())
                    : Optional.empty();
            if (name.isEmpty()) continue;
            var previous = scope.items.putIfAbsent(name.get().text(), item);
            if (previous != null) {
                diagnostics.add(Diagnostic.error("duplicate-name", name.get().span(),
                                "'" + name.get().text() + "' is already defined in policy '" + policy.name().text() + "'")
                        .withRelated(previous.span(), "first defined here"));
            }
        }
        return scope;
    }

    Optional<PolicyItem> lookup(String name) {
        return Optional.ofNullable(items.get(name));
    }

    Set<String> names() {
        return items.keySet();
    }
}
