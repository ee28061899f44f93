package dev.fwpolicy.engine.ast;

import java.util.List;

/** A braced list or a single member. */
public sealed interface AddressSet extends Addresses permits AddressList, SingleAddress {
    List<AddressMember> members();
}
