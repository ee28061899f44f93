package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.reconcile.RuleHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Running totals of each desired rule's counters across syncs. The kernel starts a rule's
 * counters over at zero whenever the rule is written again: a repair (a moved, tampered or
 * duplicated copy, a chain rewritten whole), someone's {@code iptables -Z}, a restart of the rule
 * by another tool. So the ledger keeps what such a restart took away:
 * <ul>
 *   <li>what this sync is about to start over ({@link RuleHit#retired()}, from the plan) is
 *       added to the rule's base before the write; packets between the read-back and the write
 *       (milliseconds) are the only ones lost;</li>
 *   <li>a counter that went down since the last read (a reset fwpolicy did not do) adds the last
 *       value it had to the base. A reset followed by more packets than before, all between two
 *       read-backs, goes unseen (the sidecar reads at least every resync period).</li>
 * </ul>
 * Only the loop's thread touches it; {@link #totals()} is the frozen view for readers.
 */
final class HitLedger {
    private final Instant since;
    private final Map<String, Entry> entries = new HashMap<>();
    private HitTotals totals;
    private long generation;

    private static final class Entry {
        Counters base = Counters.ZERO;
        Counters last;
        long generation;
        final Counters start;

        Entry(Counters first) {
            last = first;
            start = first;
        }
    }

    HitLedger(Instant since) {
        this.since = since;
        this.totals = HitTotals.none(since);
    }

    /** One sync's first read-back; rules no longer desired are forgotten. Empty {@code hits}: not read, nothing changes. */
    HitTotals update(List<RuleHit> hits, Instant readAt) {
        if (hits.isEmpty()) return totals;
        generation++;
        var rules = new ArrayList<HitTotals.Rule>(hits.size());
        for (RuleHit h : hits) {
            var e = entries.get(h.rule().id());
            if (e == null) {
                e = new Entry(h.counters());
                entries.put(h.rule().id(), e);
            } else {
                if (h.counters().below(e.last)) e.base = e.base.plus(e.last);
                e.last = h.counters();
            }
            e.generation = generation;
            if (!h.retired().equals(Counters.ZERO)) {
                e.base = e.base.plus(h.retired());
                e.last = e.last.minus(h.retired());
            }
            var total = e.base.plus(e.last);
            rules.add(new HitTotals.Rule(h.rule(), total, total.minus(e.start)));
        }
        // Updated in place: a rule set that did not change leaves nothing to forget.
        if (entries.size() != hits.size()) entries.values().removeIf(e -> e.generation != generation);
        totals = new HitTotals(since, Optional.of(readAt), rules);
        return totals;
    }

    HitTotals totals() {
        return totals;
    }
}
