package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.ExpectedPrints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The planner against a simulated restore: every damaged state converges in one plan. */
class PlannerTest {
    private static final RuleSet DESIRED = TestRuleSets.small();

    private static FamilyPlan plan(RuleSet desired, TableModel kernel) {
        return Planner.plan(desired, kernel.family, kernel.toKernelTable(), new ExpectedPrints());
    }

    private static TableModel converge(RuleSet desired, TableModel kernel) {
        var after = kernel.copy();
        after.applyRestore(plan(desired, kernel).payload());
        return after;
    }

    @Test
    void emptyKernelGetsEverythingInOnePlan() {
        var kernel = new TableModel(Family.V4);
        var plan = plan(DESIRED, kernel);
        int rules = DESIRED.chains(Family.V4).stream().mapToInt(c -> c.rules().size()).sum() + DESIRED.jumps(Family.V4).size();
        assertThat(plan.counts()).isEqualTo(new ChangeCounts(rules, 0, 0, 0, 0));
        assertThat(Exactness.problems(converge(DESIRED, kernel).toKernelTable(), DESIRED, Family.V4)).isEmpty();
    }

    @Test
    void sameIdsWithNewCommentsAreRepairedInPlace() {
        var desired = TestRuleSets.withComments(DESIRED, "now-at-line-40");
        assertThat(desired.byId().keySet()).isEqualTo(DESIRED.byId().keySet());
        var plan = plan(desired, TableModel.of(DESIRED, Family.V4));
        assertThat(plan.counts().repaired()).isEqualTo(plan.ops().size()).isGreaterThan(10);
        assertThat(plan.ops()).allMatch(op -> op instanceof PlanOp.ReplaceRule);
    }

    @Test
    void correctKernelPlansNothing() {
        var kernel = TableModel.of(DESIRED, Family.V6);
        var plan = plan(DESIRED, kernel);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.counts().unchanged()).isEqualTo(DESIRED.chains(Family.V6).stream().mapToInt(c -> c.rules().size()).sum() + 2);
    }

    @Test
    void oneEditedRuleInAThousandCostsTwoLines() {
        var before = TestRuleSets.big(1000, -1);
        var after = TestRuleSets.big(1000, 500);
        var plan = plan(after, TableModel.of(before, Family.V4));
        assertThat(plan.ops()).hasSize(2);
        assertThat(plan.ops().get(0).restoreLine()).isEqualTo("-D FWP-I-big 501");
        assertThat(plan.counts()).isEqualTo(new ChangeCounts(1, 1, 0, 0, 1003));
        assertThat(Exactness.problems(converge(after, TableModel.of(before, Family.V4)).toKernelTable(), after, Family.V4)).isEmpty();
    }

    @Test
    void hundredsOfDuplicatesMakeRewritingTheChainCheaperThanDeletingThem() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        var chain = kernel.rules.get("FWP-I-pol1");
        for (int i = 0; i < 300; i++) chain.add(chain.get(2));
        var plan = plan(DESIRED, kernel);
        assertThat(plan.counts().removed()).isEqualTo(300);
        assertThat(plan.ops()).first().isEqualTo(new PlanOp.DeclareChain("FWP-I-pol1"));
        assertThat(plan.ops()).hasSize(1 + 5);
        assertThat(plan.counts().added() + plan.counts().moved() + plan.counts().repaired()).isZero();
        assertThat(Exactness.problems(converge(DESIRED, kernel).toKernelTable(), DESIRED, Family.V4)).isEmpty();
    }

    @Test
    void aFewDuplicatesAreDeletedOneByOne() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        var chain = kernel.rules.get("FWP-I-pol1");
        chain.add(chain.get(2));
        chain.add(0, chain.get(3));
        var plan = plan(DESIRED, kernel);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine).containsExactly("-D FWP-I-pol1 7", "-D FWP-I-pol1 1");
        assertThat(Exactness.problems(converge(DESIRED, kernel).toKernelTable(), DESIRED, Family.V4)).isEmpty();
    }

    @Test
    void aCorrectJumpCopyIsPreferredOverATamperedOneAndTheTamperedOneIsDeletedBySpec() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        var input = kernel.rules.get("INPUT");
        String jump = input.get(0);
        input.add(0, "-s 198.51.100.1/32 -j DROP");
        input.set(1, Damage.edited(jump));
        input.add(jump);
        var plan = plan(DESIRED, kernel);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine).containsExactly("-D INPUT " + Damage.edited(jump));
        assertThat(plan.counts().removed()).isEqualTo(1);
        assertThat(plan.counts().repaired()).isZero();
    }

    @Test
    void aTamperedJumpIsDeletedBySpecAndInsertedAtTheTopNeverReplacedByNumber() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        var input = kernel.rules.get("INPUT");
        String jump = input.get(0);
        input.add(0, "-s 198.51.100.1/32 -j DROP");
        input.set(1, Damage.edited(jump));
        input.add(0, input.get(1)); // a second tampered copy, first in the chain
        var plan = plan(DESIRED, kernel);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine)
                .containsExactly("-D INPUT " + Damage.edited(jump), "-D INPUT " + Damage.edited(jump), "-I INPUT 1 " + jump);
        assertThat(plan.counts().repaired()).isEqualTo(1);
        assertThat(plan.counts().removed()).isEqualTo(1);
        var after = converge(DESIRED, kernel);
        assertThat(after.rules.get("INPUT")).containsExactly(jump, "-s 198.51.100.1/32 -j DROP");
    }

    /**
     * The issue 11 scenario: a stray byte-identical copy of the jump at the end of INPUT. A delete
     * by spec would hit the first copy, so every copy goes and one comes back at the top; by rule
     * number, a foreign insert between read-back and restore made the old plan delete foreign-B.
     */
    @Test
    void aStrayIdenticalJumpIsRemovedWithoutRuleNumbersEvenWhenSomeoneInsertsMeanwhile() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        var input = kernel.rules.get("INPUT");
        String jump = input.get(0);
        input.add("-s 198.51.100.1/32 -j ACCEPT");
        input.add("-s 198.51.100.2/32 -j ACCEPT");
        input.add(jump);
        var plan = plan(DESIRED, kernel);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine).containsExactly("-D INPUT " + jump, "-D INPUT " + jump, "-I INPUT 1 " + jump);
        assertThat(plan.counts().removed()).isEqualTo(1);
        assertThat(plan.counts().moved()).isEqualTo(1);
        var raced = kernel.copy();
        raced.rules.get("INPUT").add(0, "-s 198.51.100.3/32 -j ACCEPT"); // inserted after our read-back
        raced.applyRestore(plan.payload());
        assertThat(raced.rules.get("INPUT")).containsExactly(jump, "-s 198.51.100.3/32 -j ACCEPT",
                "-s 198.51.100.1/32 -j ACCEPT", "-s 198.51.100.2/32 -j ACCEPT");
    }

    @Test
    void ruleEditedInPlaceKeepingItsCommentIsReplaced() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        var chain = kernel.rules.get("FWP-I-pol0");
        chain.set(1, Damage.edited(chain.get(1)));
        var plan = plan(DESIRED, kernel);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine).singleElement().asString().startsWith("-R FWP-I-pol0 2 ");
        assertThat(plan.counts().repaired()).isEqualTo(1);
    }

    @Test
    void foreignRulesInBuiltinChainsAreNeverPlannedFor() {
        var kernel = TableModel.of(DESIRED, Family.V4);
        kernel.rules.get("INPUT").add(0, "-s 198.51.100.1/32 -j DROP");
        kernel.rules.get("INPUT").add("-s 198.51.100.2/32 -j DROP");
        kernel.rules.get("INPUT").remove(1); // our jump
        var plan = plan(DESIRED, kernel);
        assertThat(plan.ops()).extracting(PlanOp::restoreLine).singleElement().asString().startsWith("-I INPUT 1 ");
        var after = converge(DESIRED, kernel);
        assertThat(after.rules.get("INPUT")).hasSize(3).contains("-s 198.51.100.1/32 -j DROP", "-s 198.51.100.2/32 -j DROP");
    }

    @Test
    void chainsNoLongerDesiredAreRemovedAfterTheirJumps() {
        var kernel = TableModel.of(TestRuleSets.generate(4, 2, 0), Family.V4);
        var desired = TestRuleSets.generate(2, 2, 0);
        var after = converge(desired, kernel);
        assertThat(after.policies).doesNotContainKeys("FWP-I-pol2", "FWP-I-pol3");
        assertThat(Exactness.problems(after.toKernelTable(), desired, Family.V4)).isEmpty();
    }

    @Property(tries = 400)
    void anyDamageConvergesInOnePlanAndThenStaysQuiet(@ForAll("damages") List<Damage> damages,
                                                      @ForAll @IntRange(min = 0, max = 1) int family,
                                                      @ForAll @IntRange(min = 0, max = 3) int variant) {
        Family f = Family.values()[family];
        var kernel = TableModel.of(TestRuleSets.generate(3, 4, 0), f);
        for (Damage d : damages) d.applyTo(kernel);
        kernel.rules.get("INPUT").add("-s " + (f == Family.V4 ? "198.51.100.9/32" : "2001:db8:eeee::9/128") + " -j DROP");
        var foreignBefore = Exactness.foreign(kernel.toKernelTable());
        var desired = variant == 3 ? TestRuleSets.withComments(TestRuleSets.generate(3, 4, 0), "note")
                : TestRuleSets.generate(3 - variant, 4, variant);
        var after = converge(desired, kernel);
        var table = after.toKernelTable();
        assertThat(Exactness.problems(table, desired, f)).isEmpty();
        assertThat(Exactness.foreign(table)).isEqualTo(foreignBefore);
        assertThat(plan(desired, after).isEmpty()).isTrue();
    }

    /**
     * Invariant 3 under a concurrent writer: whatever the damage, a plan applied after someone
     * else inserted rules anywhere in INPUT/OUTPUT (between our read-back and our restore) touches
     * none of them, uses no rule number in a built-in chain except "insert at the top", and still
     * leaves fwpolicy's part exact.
     */
    @Property(tries = 400)
    void foreignInsertsBetweenReadAndWriteAreNeverHit(@ForAll("damages") List<Damage> damages,
                                                      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 10_000) Integer> inserts) {
        Family f = Family.V4;
        var kernel = TableModel.of(TestRuleSets.generate(3, 4, 0), f);
        for (Damage d : damages) d.applyTo(kernel);
        var desired = TestRuleSets.generate(2, 4, 1);
        var plan = plan(desired, kernel);
        for (PlanOp op : plan.ops()) {
            if (!op.chain().equals("INPUT") && !op.chain().equals("OUTPUT")) continue;
            assertThat(op).as(op.restoreLine()).matches(o -> o instanceof PlanOp.DeleteRuleBySpec
                    || (o instanceof PlanOp.InsertRule i && i.position() == 1));
        }
        var raced = kernel.copy();
        for (int n = 0; n < inserts.size(); n++) {
            var list = raced.rules.get(n % 2 == 0 ? "INPUT" : "OUTPUT");
            list.add(inserts.get(n) % (list.size() + 1), "-s 203.0.113." + (n + 1) + "/32 -m comment --comment concurrent -j ACCEPT");
        }
        var foreignBefore = Exactness.foreign(raced.toKernelTable());
        raced.applyRestore(plan.payload());
        assertThat(Exactness.foreign(raced.toKernelTable())).isEqualTo(foreignBefore);
        assertThat(Exactness.problems(raced.toKernelTable(), desired, f)).isEmpty();
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        var ints = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Damage> one = Combinators.combine(Arbitraries.of(Damage.Kind.class), ints, ints, ints).as(Damage::new);
        return one.list().ofMinSize(0).ofMaxSize(12);
    }

    @Property(tries = 300)
    void lisIsIncreasingAndAsLongAsAQuadraticReference(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 30) Integer> values) {
        int[] v = values.stream().mapToInt(Integer::intValue).toArray();
        boolean[] keep = LongestIncreasingSubsequence.of(v);
        int last = Integer.MIN_VALUE;
        int kept = 0;
        for (int k = 0; k < v.length; k++) {
            if (!keep[k]) continue;
            assertThat(v[k]).isGreaterThan(last);
            last = v[k];
            kept++;
        }
        int[] best = new int[v.length];
        int longest = 0;
        for (int k = 0; k < v.length; k++) {
            best[k] = 1;
            for (int j = 0; j < k; j++) if (v[j] < v[k]) best[k] = Math.max(best[k], best[j] + 1);
            longest = Math.max(longest, best[k]);
        }
        assertThat(kept).isEqualTo(longest);
    }
}
