package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** The addresses of a {@code from} or {@code to}: a set, or {@code not} a set. */
public sealed interface Addresses permits NegatedAddresses, AddressSet {
    Span span();
}
