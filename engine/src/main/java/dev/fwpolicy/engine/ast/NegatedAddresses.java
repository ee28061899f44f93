package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code not ADDRS}: every address outside {@code inner}. */
public record NegatedAddresses(Addresses inner, Span span) implements Addresses {}
