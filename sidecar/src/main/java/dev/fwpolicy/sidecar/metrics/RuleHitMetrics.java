package dev.fwpolicy.sidecar.metrics;

import dev.fwpolicy.sidecar.loop.HitTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fwpolicy_rule_packets_total{policy,rule}} and {@code fwpolicy_rule_bytes_total{policy,rule}}:
 * one series per rule (label {@code rule} = its identity), bounded. With more rules than
 * {@code max} allows, the rules after the first ones are summed per policy under
 * {@code rule="other"} (slots are kept for those sums), so {@code sum by (policy)} stays right and
 * the series never exceed {@code max}; should the policies alone outnumber it, the last ones are
 * summed as {@code policy="other"}. Rules of no policy (loopback, jumps, implicit defaults) carry
 * {@code policy="-"}. Series of rules no longer desired are removed.
 */
final class RuleHitMetrics {
    static final String OTHER = "other";
    static final String NO_POLICY = "-";

    private final MeterRegistry registry;
    private final int max;
    private final Map<List<String>, Series> series = new HashMap<>();
    /** {@code fwpolicy_audit_would_deny_packets_total{policy}}: one per policy with audited rules (as many as policies). */
    private final Map<String, AtomicLong> wouldDeny = new HashMap<>();
    private final Map<String, Meter> wouldDenyMeters = new HashMap<>();

    private record Series(AtomicLong packets, AtomicLong bytes, List<Meter> meters) {}

    RuleHitMetrics(MeterRegistry registry, int max) {
        this.registry = registry;
        this.max = Math.max(1, max);
    }

    /** Called on the loop's thread after each sync that read counters. */
    synchronized void update(HitTotals totals) {
        var values = new LinkedHashMap<List<String>, long[]>();
        var rules = totals.rules();
        var policies = new LinkedHashSet<String>();
        for (var r : rules) policies.add(r.policy().orElse(NO_POLICY));
        int individual = rules.size() <= max ? rules.size() : Math.max(0, max - policies.size());
        var policyLabel = new HashMap<String, String>();
        int kept = 0;
        for (String p : policies) policyLabel.put(p, kept++ < max - 1 || policies.size() <= max ? p : OTHER);
        for (int i = 0; i < rules.size(); i++) {
            var r = rules.get(i);
            String policy = policyLabel.get(r.policy().orElse(NO_POLICY));
            var key = i < individual ? List.of(policy, r.rule().id()) : List.of(policy, OTHER);
            var v = values.computeIfAbsent(key, k -> new long[2]);
            v[0] += r.total().packets();
            v[1] += r.total().bytes();
        }
        for (var key : new ArrayList<>(series.keySet())) {
            if (!values.containsKey(key)) series.remove(key).meters().forEach(registry::remove);
        }
        values.forEach((key, v) -> {
            var s = series.computeIfAbsent(key, this::register);
            s.packets().set(v[0]);
            s.bytes().set(v[1]);
        });
        var audit = new HashMap<String, Long>();
        for (var r : rules) {
            if (r.rule().origin().countsWouldDeny(r.rule().target())) audit.merge(r.policy().orElse(NO_POLICY), r.total().packets(), Long::sum);
        }
        for (var p : new ArrayList<>(wouldDeny.keySet())) {
            if (!audit.containsKey(p)) {
                wouldDeny.remove(p);
                registry.remove(wouldDenyMeters.remove(p));
            }
        }
        audit.forEach((p, n) -> wouldDeny.computeIfAbsent(p, k -> {
            var value = new AtomicLong();
            wouldDenyMeters.put(k, FunctionCounter.builder("fwpolicy.audit.would.deny.packets", value, AtomicLong::get)
                    .description("Packets an audited policy or default would have denied or rejected (recorded, then let through)")
                    .tag("policy", k).register(registry));
            return value;
        }).set(n));
    }

    private Series register(List<String> key) {
        var packets = new AtomicLong();
        var bytes = new AtomicLong();
        var meters = List.<Meter>of(
                FunctionCounter.builder("fwpolicy.rule.packets", packets, AtomicLong::get)
                        .description("Packets that hit the rule (its kernel counters, kept across repairs), since the sidecar first saw it")
                        .tag("policy", key.get(0)).tag("rule", key.get(1)).register(registry),
                FunctionCounter.builder("fwpolicy.rule.bytes", bytes, AtomicLong::get)
                        .description("Bytes of the packets that hit the rule")
                        .tag("policy", key.get(0)).tag("rule", key.get(1)).register(registry));
        return new Series(packets, bytes, meters);
    }

    synchronized int seriesCount() {
        return series.size();
    }
}
