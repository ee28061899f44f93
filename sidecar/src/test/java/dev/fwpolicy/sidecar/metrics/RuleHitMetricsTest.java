package dev.fwpolicy.sidecar.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.sidecar.loop.HitTotals;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The per-rule series are bounded, and the per-policy sums stay right when rules are folded. */
class RuleHitMetricsTest {
    private static HitTotals totals(String policyText) {
        var rules = TestPolicies.compile(policyText).allRules()
                .map(r -> new HitTotals.Rule(r, new Counters(1, 100), Counters.ZERO)).toList();
        return new HitTotals(Instant.EPOCH, Optional.of(Instant.EPOCH), rules);
    }

    private static double sum(SimpleMeterRegistry registry, String policy) {
        return registry.find("fwpolicy.rule.packets").tag("policy", policy).functionCounters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void everyRuleItsOwnSeriesUpToTheBoundThenPerPolicySums() {
        var totals = totals(TestPolicies.WEB);
        int n = totals.rules().size();
        String policy = totals.rules().stream().flatMap(r -> r.policy().stream()).findFirst().orElseThrow();
        long policyRules = totals.rules().stream().filter(r -> r.policy().filter(policy::equals).isPresent()).count();

        var all = new SimpleMeterRegistry();
        var unbounded = new RuleHitMetrics(all, 10_000);
        unbounded.update(totals);
        assertThat(unbounded.seriesCount()).isEqualTo(n);
        assertThat(all.find("fwpolicy.rule.bytes").functionCounters()).hasSize(n);

        var few = new SimpleMeterRegistry();
        var bounded = new RuleHitMetrics(few, 5);
        bounded.update(totals);
        assertThat(bounded.seriesCount()).isLessThanOrEqualTo(5);
        assertThat(few.find("fwpolicy.rule.packets").functionCounters()).hasSize(bounded.seriesCount());
        assertThat(few.find("fwpolicy.rule.packets").tag("rule", RuleHitMetrics.OTHER).functionCounters()).isNotEmpty();
        assertThat(sum(few, policy)).isEqualTo(sum(all, policy)).isEqualTo((double) policyRules);

        // a policy with fewer rules: series of the rules that went are removed
        unbounded.update(new HitTotals(Instant.EPOCH, Optional.empty(), totals.rules().subList(0, 3)));
        assertThat(all.find("fwpolicy.rule.packets").functionCounters()).hasSize(3);
    }

    @Test
    void aBoundOfOneStillHoldsEveryPacket() {
        var totals = totals(TestPolicies.WEB);
        var registry = new SimpleMeterRegistry();
        var metrics = new RuleHitMetrics(registry, 1);
        metrics.update(totals);
        assertThat(metrics.seriesCount()).isEqualTo(1);
        assertThat(registry.find("fwpolicy.rule.packets").functionCounters().iterator().next().count())
                .isEqualTo((double) totals.rules().size());
    }
}
