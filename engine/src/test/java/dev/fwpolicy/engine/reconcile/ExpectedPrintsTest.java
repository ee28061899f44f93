package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.ExpectedPrints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.net.Family;
import org.junit.jupiter.api.Test;

class ExpectedPrintsTest {
    private static CompiledRule rule(String human) {
        return TestRuleSets.make(Family.V4, "FWP-OUTPUT", "", human, "-j ACCEPT", 0);
    }

    @Test
    void learnedPrintAppliesOnlyToTheRenderingItWasLearnedFor() {
        var old = rule("default outbound allow database:5");
        var renamed = rule("default outbound allow");
        assertThat(renamed.id()).as("same body, same id").isEqualTo(old.id());

        var prints = new ExpectedPrints();
        prints.record(old, RuleSpecs.spec(old) + " (as printed)");
        assertThat(prints.expected(old)).isEqualTo(RuleSpecs.spec(old) + " (as printed)");
        assertThat(prints.expected(renamed)).as("a new comment is a new expectation").isEqualTo(RuleSpecs.spec(renamed));

        var kernel = TableModel.of(TestRuleSets.generate(0, 0, 0), Family.V4);
        kernel.rules.get("FWP-OUTPUT").set(1, RuleSpecs.spec(old));
        var desired = new TestRuleSets.Builder();
        desired.chain(Family.V4, "FWP-OUTPUT").rule("-o lo", "loopback", "-j ACCEPT").rule("", "default outbound allow", "-j ACCEPT");
        var plan = Planner.plan(desired.build("r"), Family.V4, kernel.toKernelTable(), prints);
        assertThat(plan.counts().repaired()).isEqualTo(1);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine).contains("-R FWP-OUTPUT 2 " + RuleSpecs.spec(renamed));
    }

    @Test
    void keepsOnlyPrintsThatDifferAndForgetsOneThatNoLongerDoes() {
        var r = rule("default outbound allow");
        var prints = new ExpectedPrints();
        long v0 = prints.version();
        prints.record(r, RuleSpecs.spec(r));
        assertThat(prints.differing()).as("printed as rendered: nothing to keep").isZero();
        assertThat(prints.version()).as("no answer changed").isEqualTo(v0);

        prints.record(r, RuleSpecs.spec(r) + " -m tcp");
        assertThat(prints.differing()).isEqualTo(1);
        assertThat(prints.expected(r)).isEqualTo(RuleSpecs.spec(r) + " -m tcp");
        long v1 = prints.version();
        assertThat(v1).isGreaterThan(v0);

        prints.record(r, RuleSpecs.spec(r));
        assertThat(prints.differing()).isZero();
        assertThat(prints.expected(r)).isEqualTo(RuleSpecs.spec(r));
        assertThat(prints.version()).as("the answer changed back: plans made before are stale").isGreaterThan(v1);
    }
}
