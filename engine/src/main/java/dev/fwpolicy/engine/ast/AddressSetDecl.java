package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code set NAME = { … }}: a named set of addresses, used as {@code $NAME}. */
public record AddressSetDecl(Name name, AddressSet set, Span span) implements PolicyItem {}
