package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.ir.CompiledRule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every desired rule's hits as the sidecar has counted them, frozen after a sync.
 *
 * @param since    when the sidecar started counting (its start)
 * @param readAt   the read-back these totals come from; empty before the first sync with counters
 * @param rules    per desired rule, in rule-set order
 */
public record HitTotals(Instant since, Optional<Instant> readAt, List<Rule> rules) {

    /**
     * @param total      the kernel's counters of the rule plus what repairs and resets started over
     *                   since the sidecar first saw it (monotonic while the sidecar runs)
     * @param sinceStart what the rule was hit since the sidecar started (or since the rule first
     *                   became desired, for a rule added later)
     */
    public record Rule(CompiledRule rule, Counters total, Counters sinceStart) {
        /** The policy the rule belongs to; empty for fwpolicy's own (loopback, jumps, implicit defaults). */
        public Optional<String> policy() {
            return rule.origin().policy();
        }
    }

    public HitTotals {
        rules = List.copyOf(rules);
    }

    public static HitTotals none(Instant since) {
        return new HitTotals(since, Optional.empty(), List.of());
    }

    /** Rules no packet has hit since the sidecar started (production coverage). */
    public List<Rule> unhit() {
        return rules.stream().filter(r -> r.sinceStart().packets() == 0).toList();
    }
}
