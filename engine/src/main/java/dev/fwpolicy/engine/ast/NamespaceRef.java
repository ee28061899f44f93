package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** The {@code in …} of a pod selector: one namespace by name, or namespaces by label selector. */
public sealed interface NamespaceRef permits NamespaceName, NamespaceSelector {
    Span span();
}
