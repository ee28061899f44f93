package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code in namespaces "team=platform"}. */
public record NamespaceSelector(SelectorLiteral selector, Span span) implements NamespaceRef {}
