package dev.fwpolicy.sidecar.json;

import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.sidecar.loop.HitTotals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Rule hits and production coverage: {@code GET /v1/coverage} and {@code fwpolicy state --coverage}. */
public final class HitsJson {
    private HitsJson() {}

    /**
     * Whether coverage lists the rule: every compiled rule but fwpolicy's jumps between its chains,
     * which every packet of a direction passes and which no author wrote.
     */
    public static boolean counted(CompiledRule r) {
        return r.origin().kind() != RuleOrigin.Kind.DISPATCH;
    }

    /** A rule with its counters: the **rule** shape plus {@code packets} and {@code bytes}. */
    public static JsonObject rule(CompiledRule r, Counters c) {
        return DecisionJson.rule(r).put("packets", c.packets()).put("bytes", c.bytes());
    }

    /**
     * {@code GET /v1/coverage}: {@code {revision, since, countersAt, ruleCount, unhitCount, unhit}} —
     * the rules (with their running counters) no packet has hit since the sidecar started.
     */
    public static JsonObject coverage(String revision, HitTotals totals) {
        var counted = totals.rules().stream().filter(r -> counted(r.rule())).toList();
        var unhit = new JsonArray();
        counted.stream().filter(r -> r.sinceStart().packets() == 0).forEach(r -> unhit.add(rule(r.rule(), r.total())));
        return new JsonObject().put("revision", revision).put("since", totals.since().toString())
                .put("countersAt", totals.readAt().map(Object::toString).orElse(null))
                .put("ruleCount", counted.size()).put("unhitCount", unhit.size()).put("unhit", unhit);
    }

    /**
     * {@code GET /v1/audit}: {@code {revision, since, countersAt, wouldDenyPackets, policies, rules}} —
     * per policy ({@code {policyName, packets}}) and per rule (a rule with {@code packets},
     * {@code bytes}, {@code packetsSinceStart}) the packets audited rules would have denied or
     * rejected, from the counters of the rules every such packet passes.
     */
    public static JsonObject audit(String revision, HitTotals totals) {
        var rules = new JsonArray();
        var byPolicy = new java.util.TreeMap<String, Long>();
        long all = 0;
        for (var r : totals.rules()) {
            if (!r.rule().origin().countsWouldDeny(r.rule().target())) continue;
            rules.add(rule(r.rule(), r.total()).put("packetsSinceStart", r.sinceStart().packets()));
            byPolicy.merge(r.policy().orElse("-"), r.total().packets(), Long::sum);
            all += r.total().packets();
        }
        var policies = new JsonArray();
        byPolicy.forEach((p, n) -> policies.add(new JsonObject().put("policyName", p).put("packets", n)));
        return new JsonObject().put("revision", revision).put("since", totals.since().toString())
                .put("countersAt", totals.readAt().map(Object::toString).orElse(null))
                .put("wouldDenyPackets", all).put("policies", policies).put("rules", rules);
    }

    /** {@code fwpolicy state --coverage --format json}: the same shape, from the kernel's own counters. */
    public static JsonObject coverage(String revision, List<CompiledRule> rules, List<CompiledRule> unhitRules,
                                      java.util.function.Function<CompiledRule, Counters> counters) {
        var unhit = new JsonArray();
        unhitRules.forEach(r -> unhit.add(rule(r, counters.apply(r))));
        return new JsonObject().put("revision", revision).put("ruleCount", rules.size()).put("unhitCount", unhit.size())
                .put("unhit", unhit);
    }
}
