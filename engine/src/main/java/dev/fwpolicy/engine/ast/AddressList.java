package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/** {@code { 10.0.0.0/8, $office, any }}. */
public record AddressList(List<AddressMember> members, Span span) implements AddressSet {

    public AddressList {
        members = List.copyOf(members);
    }
}
