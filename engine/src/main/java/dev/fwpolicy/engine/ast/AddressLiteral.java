package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.source.Span;

/** An address or CIDR, already validated by the builder; {@code text} is the spelling as written. */
public record AddressLiteral(Cidr cidr, String text, Span span) implements AddressMember {}
