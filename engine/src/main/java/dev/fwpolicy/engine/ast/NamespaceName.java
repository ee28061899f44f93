package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code in shop} or {@code in "1shop"}; {@code written} keeps the quotes for {@code fmt}. */
public record NamespaceName(String name, String written, Span span) implements NamespaceRef {}
