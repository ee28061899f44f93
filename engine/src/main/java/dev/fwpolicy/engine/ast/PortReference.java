package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code $name} where a port set is expected. */
public record PortReference(String name, Span span) implements PortMember {}
