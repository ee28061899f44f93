package dev.fwpolicy.engine.check;

import dev.fwpolicy.engine.cluster.DynamicMembers;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.List;

/**
 * An address set after resolution: the canonical (normalised) networks of both families,
 * and whether the rule wants addresses outside them ({@code not}). {@code dynamic} lists the
 * dynamic sets it includes (directly or through other sets), whose members are among
 * {@code cidrs} today but may not be tomorrow: such a set is {@link #isDynamic() dynamic}.
 */
public record ResolvedAddresses(List<Cidr> cidrs, boolean negated, List<DynamicMembers> dynamic) {

    public ResolvedAddresses {
        cidrs = Cidr.normalize(cidrs);
        dynamic = List.copyOf(dynamic);
    }

    public ResolvedAddresses(List<Cidr> cidrs, boolean negated) {
        this(cidrs, negated, List.of());
    }

    public List<Cidr> of(Family family) {
        return cidrs.stream().filter(c -> c.family() == family).toList();
    }

    public ResolvedAddresses negate() {
        return new ResolvedAddresses(cidrs, !negated, dynamic);
    }

    /** Whether its members follow the cluster: then it can match either family whatever it holds now. */
    public boolean isDynamic() {
        return !dynamic.isEmpty();
    }
}
