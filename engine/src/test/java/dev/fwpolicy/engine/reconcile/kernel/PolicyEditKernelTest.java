package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Editing one rule of a 1,000-rule policy costs a payload of a handful of lines, and the result is exact. */
@Tag("kernel")
class PolicyEditKernelTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void oneRuleEditInAThousandIsAHandfulOfPayloadLines(Backend backend) {
        KernelSupport.requireKernel();
        var before = TestRuleSets.big(1000, -1);
        var after = TestRuleSets.big(1000, 617);
        try (var netns = Netns.create()) {
            var reconciler = KernelSupport.reconciler(netns, backend);
            reconciler.sync(before);

            var plan = reconciler.plan(after);
            String payload = plan.family(Family.V4).orElseThrow().payload();
            assertThat(payload.lines().count()).as(payload).isLessThanOrEqualTo(5);
            assertThat(payload).contains("-D FWP-I-big 618", "-I FWP-I-big 618 ", "--dport 1171 ").doesNotContain(":FWP-");

            var report = reconciler.sync(after);
            assertThat(report.payloadLines()).isLessThanOrEqualTo(3);
            assertThat(report.restoreInvocations()).isEqualTo(1);
            assertThat(report.counts().added()).isEqualTo(1);
            assertThat(report.counts().removed()).isEqualTo(1);
            var dataplane = KernelSupport.dataplane(KernelSupport.runner(netns), backend);
            for (Family f : Family.values()) assertThat(Exactness.problems(dataplane.read(f), after, f)).isEmpty();
        }
    }
}
