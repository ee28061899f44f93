package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

public sealed interface AddressMember permits AddressLiteral, AnyAddress, AddressReference {
    Span span();
}
