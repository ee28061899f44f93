package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Cidr;

/** A source or destination address inside (or, negated, outside) a CIDR. */
public record AddressMatch(Cidr cidr, boolean negated) {

    public boolean matches(long hi, long lo) {
        return cidr.containsRaw(hi, lo) != negated;
    }
}
