package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/** One member without braces: {@code 10.0.0.1}, {@code $office}, {@code any}. */
public record SingleAddress(AddressMember member, Span span) implements AddressSet {

    public List<AddressMember> members() {
        return List.of(member);
    }
}
