package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code any}: every IPv4 and every IPv6 address. */
public record AnyAddress(Span span) implements AddressMember {}
