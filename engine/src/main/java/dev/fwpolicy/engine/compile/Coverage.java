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
        if (!o.negated() && !i.negated()) return o.cidr().contains(i.cidr());
        if (o.negated() && !i.negated()) return !o.cidr().overlaps(i.cidr());
        if (o.negated()) return i.cidr().contains(o.cidr());
        return false;
    }
}
