package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.net.PortRange;
import java.util.ArrayList;
import java.util.List;

/** Splits a canonical port list into multiport-sized groups (15 entries, a range counting two). */
final class PortGroups {
    static final int MULTIPORT_MAX = 15;

    private PortGroups() {}

    /** One empty group for "any port"; otherwise groups in ascending port order. */
    static List<List<PortRange>> split(List<PortRange> ranges) {
        if (ranges.isEmpty()) return List.of(List.of());
        var groups = new ArrayList<List<PortRange>>();
        var current = new ArrayList<PortRange>();
        int cost = 0;
        for (var r : ranges) {
            if (cost + r.multiportCost() > MULTIPORT_MAX) {
                groups.add(List.copyOf(current));
                current.clear();
                cost = 0;
            }
            current.add(r);
            cost += r.multiportCost();
        }
        groups.add(List.copyOf(current));
        return groups;
    }
}
