package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.ast.ClusterSource;
import dev.fwpolicy.engine.ast.NamespaceName;
import dev.fwpolicy.engine.ast.NamespaceSelector;
import dev.fwpolicy.engine.ast.PodsSource;
import dev.fwpolicy.engine.ast.SelectorLiteral;
import dev.fwpolicy.engine.ast.ServiceSource;
import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.cluster.NamespaceScope;
import dev.fwpolicy.engine.cluster.ObjectRef;

/** What a dynamic set as written follows, once "the sidecar's own namespace" is known. */
public final class DynamicSets {
    private DynamicSets() {}

    public static MemberSource memberSource(ClusterSource source, String ownNamespace) {
        if (source instanceof ServiceSource s) {
            return new MemberSource.ServiceEndpoints(new ObjectRef(s.namespace().orElse(ownNamespace), s.name()));
        }
        var pods = (PodsSource) source;
        LabelSelector selector = pods.pods().map(SelectorLiteral::selector).orElse(LabelSelector.EVERYTHING);
        NamespaceScope scope = pods.namespaces()
                .<NamespaceScope>map(n -> n instanceof NamespaceName name ? new NamespaceScope.Named(name.name())
                        : new NamespaceScope.Selected(((NamespaceSelector) n).selector().selector()))
                .orElse(new NamespaceScope.Named(ownNamespace));
        return new MemberSource.Pods(selector, scope);
    }
}
