package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The classifier's output for one family, in kernel order: per chain, one status per kernel
 * rule (an array, not an object per rule), then the desired rules and chains the kernel lacks.
 * {@link Drift} values are made only when asked for: a plan of a 10,000-rule table that is in
 * sync allocates a few arrays, not 10,000 entries, and a view that lists every rule
 * ({@code state}) builds them once.
 */
final class DriftLog {
    private final Family family;
    /** Each part is a {@link Chain} or a single {@link Drift} (a missing rule, jump or chain). */
    private final List<Object> parts = new ArrayList<>();
    private List<Drift> all;
    private List<Drift> problems;

    /** The kernel rules of one chain with their statuses and, where known, the desired rule of their identity. */
    private record Chain(String name, List<KernelRule> rules, DriftStatus[] status, CompiledRule[] desired) {}

    DriftLog(Family family) {
        this.family = family;
    }

    /** Statuses (and desired rules) of {@code rules}, to be filled in by the caller, index for index. */
    DriftStatus[] chain(String name, List<KernelRule> rules, CompiledRule[] desired) {
        var status = new DriftStatus[rules.size()];
        parts.add(new Chain(name, rules, status, desired));
        return status;
    }

    void add(Drift d) {
        parts.add(d);
    }

    /** Every classified rule and chain, in kernel order. */
    synchronized List<Drift> all() {
        if (all == null) {
            var out = new ArrayList<Drift>();
            for (Object p : parts) {
                if (p instanceof Drift d) {
                    out.add(d);
                } else {
                    var c = (Chain) p;
                    for (int k = 0; k < c.rules().size(); k++) out.add(entry(c, k));
                }
            }
            all = Collections.unmodifiableList(out);
        }
        return all;
    }

    /** Only what a sync repairs, without making an entry per in-sync rule. */
    synchronized List<Drift> problems() {
        if (problems == null) {
            var out = new ArrayList<Drift>();
            for (Object p : parts) {
                if (p instanceof Drift d) {
                    if (d.status().isDrift()) out.add(d);
                } else {
                    var c = (Chain) p;
                    for (int k = 0; k < c.status().length; k++) if (c.status()[k].isDrift()) out.add(entry(c, k));
                }
            }
            problems = Collections.unmodifiableList(out);
        }
        return problems;
    }

    Map<DriftStatus, Integer> counts() {
        var map = new EnumMap<DriftStatus, Integer>(DriftStatus.class);
        for (var s : DriftStatus.values()) map.put(s, 0);
        for (Object p : parts) {
            if (p instanceof Drift d) map.merge(d.status(), 1, Integer::sum);
            else for (DriftStatus s : ((Chain) p).status()) map.merge(s, 1, Integer::sum);
        }
        return map;
    }

    private Drift entry(Chain c, int k) {
        KernelRule r = c.rules().get(k);
        return new Drift(c.status()[k], family, c.name(), r.id(), Optional.of(r), Optional.ofNullable(c.desired()[k]));
    }
}
