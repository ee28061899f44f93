package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.Cidr;
import java.util.Optional;

/**
 * A source or destination address inside (or, negated, outside) one network, or inside one of
 * the networks of a {@link NetworkSet}. For a set match {@code cidr} is the set family's whole
 * space: the set decides, and code that only knows single networks must look at {@code set}.
 */
public record AddressMatch(Cidr cidr, boolean negated, Optional<NetworkSet> set) {

    public AddressMatch(Cidr cidr, boolean negated) {
        this(cidr, negated, Optional.empty());
    }

    public static AddressMatch inSet(NetworkSet set, boolean negated) {
        return new AddressMatch(Cidr.all(set.family()), negated, Optional.of(set));
    }

    public boolean matches(long hi, long lo) {
        boolean in = set.isPresent() ? set.get().contains(hi, lo) : cidr.containsRaw(hi, lo);
        return in != negated;
    }
}
