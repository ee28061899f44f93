package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code ports NAME = { … }}: a named set of ports, used as {@code $NAME}. */
public record PortSetDecl(Name name, PortSet set, Span span) implements PolicyItem {}
