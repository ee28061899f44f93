package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.net.PortRange;
import java.util.Optional;

/** Whether every packet one match accepts is also accepted by another. Exact, no guessing. */
final class Coverage {
    private Coverage() {}

    static boolean covers(Match outer, Match inner) {
        if (outer.loopbackInterface() && !inner.loopbackInterface()) return false;
        if (outer.established() && !inner.established()) return false;
        if (outer.protocol().isPresent() && !outer.protocol().equals(inner.protocol())) return false;
        if (outer.icmpType().isPresent() && !outer.icmpType().equals(inner.icmpType())) return false;
        if (!PortRange.covers(outer.sourcePorts(), inner.sourcePorts())) return false;
        if (!PortRange.covers(outer.destinationPorts(), inner.destinationPorts())) return false;
        return covers(outer.source(), inner.source()) && covers(outer.destination(), inner.destination());
    }

    private static boolean covers(Optional<AddressMatch> outer, Optional<AddressMatch> inner) {
        if (outer.isEmpty()) return true;
        if (inner.isEmpty()) return false;
        var o = outer.get();
        var i = inner.get();
        if (o.set().isPresent() || i.set().isPresent()) return coversWithSets(o, i);
        if (!o.negated() && !i.negated()) return o.cidr().contains(i.cidr());
        if (o.negated() && !i.negated()) return !o.cidr().overlaps(i.cidr());
        if (o.negated()) return i.cidr().contains(o.cidr());
        return false;
    }

    /**
     * Kernel set matches: the same set with the same sense covers itself; a positive match covers
     * a positive one when every inner network lies inside an outer one. Negated sets against
     * anything else would need an overlap test of every member pair; they answer "not covered",
     * which can only miss a shadowing warning, never invent one. Dynamic sets cover only themselves.
     */
    private static boolean coversWithSets(AddressMatch o, AddressMatch i) {
        if (o.set().isPresent() && i.set().isPresent() && o.set().get().name().equals(i.set().get().name())) {
            return o.negated() == i.negated();
        }
        // Members that follow the cluster are today's, not the policy's: a warning from them
        // would come and go with pods. Only the same set covers a dynamic one.
        if (o.set().filter(s -> s.isDynamic()).isPresent() || i.set().filter(s -> s.isDynamic()).isPresent()) return false;
        if (o.negated() || i.negated()) return false;
        var inner = i.set().map(s -> s.members()).orElse(java.util.List.of(i.cidr()));
        for (var network : inner) {
            boolean inside = o.set().isPresent()
                    ? o.set().get().memberContaining(network.hi(), network.lo()).filter(m -> m.contains(network)).isPresent()
                    : o.cidr().contains(network);
            if (!inside) return false;
        }
        return true;
    }
}
