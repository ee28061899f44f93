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

    /** {@code fwpolicy state --coverage --format json}: the same shape, from the kernel's own counters. */
    public static JsonObject coverage(String revision, List<CompiledRule> rules, List<CompiledRule> unhitRules,
                                      java.util.function.Function<CompiledRule, Counters> counters) {
        var unhit = new JsonArray();
        unhitRules.forEach(r -> unhit.add(rule(r, counters.apply(r))));
        return new JsonObject().put("revision", revision).put("ruleCount", rules.size()).put("unhitCount", unhit.size())
                .put("unhit", unhit);
    }
}
