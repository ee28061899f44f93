package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/**
 * {@code pods ["SELECTOR"] [in NAMESPACE | in namespaces "SELECTOR"]}. No selector: every
 * pod; no {@code in}: the sidecar's own namespace.
 */
public record PodsSource(Optional<SelectorLiteral> pods, Optional<NamespaceRef> namespaces, Span span)
        implements ClusterSource {

    @Override
    public String text() {
        var sb = new StringBuilder("pods");
        pods.ifPresent(p -> sb.append(" \"").append(p.text()).append('"'));
        namespaces.ifPresent(n -> sb.append(" in ").append(n instanceof NamespaceName name ? name.written()
                : "namespaces \"" + ((NamespaceSelector) n).selector().text() + "\""));
        return sb.toString();
    }
}
