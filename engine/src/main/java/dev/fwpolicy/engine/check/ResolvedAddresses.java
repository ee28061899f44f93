package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.List;

/**
 * An address set after resolution: the canonical (normalised) networks of both families,
 * and whether the rule wants addresses outside them ({@code not}).
 */
public record ResolvedAddresses(List<Cidr> cidrs, boolean negated) {

    public ResolvedAddresses {
        cidrs = Cidr.normalize(cidrs);
    }

    public List<Cidr> of(Family family) {
        return cidrs.stream().filter(c -> c.family() == family).toList();
    }

    public ResolvedAddresses negate() {
        return new ResolvedAddresses(cidrs, !negated);
    }
}
