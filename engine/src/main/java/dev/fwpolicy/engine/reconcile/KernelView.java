package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.net.Family;
import java.util.Collections;
import java.util.Map;

/**
 * The kernel read once: one read-back per managed family (and of fwpolicy's kernel sets), and
 * the plan classified against it.
 * Every view of the kernel (diff, state, eval against the kernel, the HTTP API, metrics) is
 * derived from one of these, so they cannot disagree.
 */
public record KernelView(Map<Family, KernelTable> tables, Plan plan, KernelSets sets) {

    public KernelView {
        tables = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
    }

    /** The counters of a classified rule's kernel copy; empty when it has none or counters were not read. */
    public java.util.Optional<dev.fwpolicy.engine.iptables.Counters> counters(Drift d) {
        var table = tables.get(d.family());
        if (table == null) return java.util.Optional.empty();
        return d.kernel().flatMap(k -> table.counters().of(k));
    }

    /** A view of a kernel whose sets were not read. */
    public KernelView(Map<Family, KernelTable> tables, Plan plan) {
        this(tables, plan, KernelSets.empty());
    }
}
