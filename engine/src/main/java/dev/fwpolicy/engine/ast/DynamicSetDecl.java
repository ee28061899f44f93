package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/**
 * {@code set NAME = pods "…" in …} or {@code set NAME = service …}: a set whose members
 * come from the cluster and change without the policy changing.
 */
public record DynamicSetDecl(Name name, ClusterSource source, Span span) implements PolicyItem {}
