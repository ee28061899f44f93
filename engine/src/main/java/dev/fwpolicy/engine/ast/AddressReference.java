package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code $name} where an address set is expected. */
public record AddressReference(String name, Span span) implements AddressMember {}
