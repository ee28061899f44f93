package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.ExpectedPrints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.net.Family;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The sync loop against {@link FakeKernel}: quiet re-sync, retries after interference, bounded failure. */
class ReconcilerTest {
    private static final DetectedBackend NFT = new DetectedBackend(Backend.NFT, "fake", "test");
    private final FakeKernel kernel = new FakeKernel();
    private final ReconcilerOptions fast = new ReconcilerOptions(EnumSet.allOf(Family.class), 3, Duration.ofMillis(1), UnaryOperator.identity());

    private Reconciler reconciler(ReconcilerOptions options) {
        return new Reconciler(new IptablesDataplane(kernel, NFT), options);
    }

    @Test
    void syncWritesOnceThenNothing() {
        var desired = TestRuleSets.small();
        var r = reconciler(fast);
        var first = r.sync(desired);
        assertThat(first.restoreInvocations()).isEqualTo(2);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.payloadLines()).isEqualTo(kernel.calls.stream().filter(c -> c.argv().get(0).endsWith("-restore"))
                .mapToInt(c -> (int) c.stdin().orElseThrow().lines().count() - 2).sum());
        long restores = kernel.restores();
        var second = r.sync(desired);
        assertThat(second.wroteNothing()).isTrue();
        assertThat(kernel.restores()).isEqualTo(restores);
        for (Family f : Family.values()) assertThat(Exactness.problems(kernel.tables.get(f).toKernelTable(), desired, f)).isEmpty();
    }

    @Test
    void interferenceBetweenWriteAndVerifyIsRepairedInAnotherRound() {
        var desired = TestRuleSets.small();
        int[] meddles = {0};
        kernel.afterRestore = k -> {
            if (meddles[0]++ == 0) k.tables.get(Family.V4).rules.get("FWP-I-pol0").add("-s 192.0.2.1/32 -j DROP");
        };
        var report = reconciler(fast).sync(desired);
        assertThat(report.attempts()).isEqualTo(2);
        assertThat(Exactness.problems(kernel.tables.get(Family.V4).toKernelTable(), desired, Family.V4)).isEmpty();
    }

    @Test
    void endlessInterferenceFailsAfterTheBoundWithoutLooping() {
        kernel.afterRestore = k -> k.tables.get(Family.V4).rules.get("INPUT").add(0, "-m comment --comment \"fwp1:AAAAAAAAAAAAAAAA x\" -j DROP");
        assertThatThrownBy(() -> reconciler(fast).sync(TestRuleSets.small()))
                .isInstanceOf(ReconcileException.class).hasMessageContaining("still differs after 3 attempt(s)");
        assertThat(kernel.restores()).isLessThanOrEqualTo(2 * 3);
    }

    @Test
    void rejectedPayloadIsReportedVerbatimAndNothingChanges() {
        var before = kernel.tables.get(Family.V4).saveText();
        var options = fast.withPayloadHook(p -> p.replace("COMMIT", "-D FWP-INPUT 999\nCOMMIT"));
        assertThatThrownBy(() -> reconciler(options).sync(TestRuleSets.small()))
                .isInstanceOfSatisfying(ReconcileException.class, e -> {
                    assertThat(e.payload()).hasValueSatisfying(p -> assertThat(p).startsWith("*filter\n").contains("-D FWP-INPUT 999"));
                    assertThat(e.stderr()).hasValueSatisfying(s -> assertThat(s).contains("rule number out of range"));
                });
        assertThat(kernel.tables.get(Family.V4).saveText()).isEqualTo(before);
    }

    @Test
    void dryRunPlanWritesNothing() {
        var plan = reconciler(fast).plan(TestRuleSets.small());
        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.family(Family.V6).orElseThrow().payload()).startsWith("*filter\n:FWP-INPUT - [0:0]\n").endsWith("COMMIT\n");
        assertThat(kernel.restores()).isZero();
    }

    @Test
    void onNextReadWritesWithOneReadBackPerFamilyAndTheNextSyncVerifies() {
        var desired = TestRuleSets.small();
        var r = reconciler(fast.withVerify(VerifyMode.ON_NEXT_READ));
        var first = r.sync(desired);
        assertThat(first.verified()).isFalse();
        assertThat(first.restoreInvocations()).isEqualTo(2);
        assertThat(kernel.saves()).isEqualTo(2);
        for (Family f : Family.values()) assertThat(Exactness.problems(kernel.tables.get(f).toKernelTable(), desired, f)).isEmpty();
        var second = r.sync(desired);
        assertThat(second.wroteNothing()).isTrue();
        assertThat(second.verified()).isTrue();
        assertThat(kernel.saves()).isEqualTo(4);
    }

    @Test
    void onNextReadLeavesInterferenceToTheNextSyncWhichRepairsIt() {
        var desired = TestRuleSets.small();
        int[] meddles = {0};
        kernel.afterRestore = k -> {
            if (meddles[0]++ == 0) k.tables.get(Family.V4).rules.get("FWP-I-pol0").add("-s 192.0.2.1/32 -j DROP");
        };
        var r = reconciler(fast.withVerify(VerifyMode.ON_NEXT_READ));
        assertThat(r.sync(desired).attempts()).isEqualTo(1);
        assertThat(Exactness.problems(kernel.tables.get(Family.V4).toKernelTable(), desired, Family.V4)).isNotEmpty();
        var repair = r.sync(desired);
        assertThat(repair.counts().removed()).isEqualTo(1);
        assertThat(Exactness.problems(kernel.tables.get(Family.V4).toKernelTable(), desired, Family.V4)).isEmpty();
    }

    @Test
    void onNextReadLearnsTheKernelsPrintFromTheNextReadInsteadOfRewriting() {
        var desired = TestRuleSets.small();
        // The kernel prints every rule it is given with an extra match, as iptables-save adds -m tcp.
        kernel.afterRestore = k -> k.tables.values().forEach(t -> t.rules.replaceAll((chain, specs) -> specs.stream()
                .map(spec -> chain.startsWith("FWP-") && !spec.startsWith("-m normalised ") ? "-m normalised " + spec : spec).toList()));
        var r = reconciler(fast.withVerify(VerifyMode.ON_NEXT_READ));
        r.sync(desired);
        long restores = kernel.restores();
        var second = r.sync(desired);
        assertThat(second.wroteNothing()).isTrue();
        assertThat(second.renderMismatches()).isPositive();
        assertThat(kernel.restores()).isEqualTo(restores);
        assertThat(r.sync(desired).wroteNothing()).isTrue();
    }

    @Test
    void onNextReadFallsBackToVerifyingWhenARestoreIsRejected() {
        var options = fast.withVerify(VerifyMode.ON_NEXT_READ).withPayloadHook(p -> p.replace("COMMIT", "-D FWP-INPUT 999\nCOMMIT"));
        assertThatThrownBy(() -> reconciler(options).sync(TestRuleSets.small())).isInstanceOf(ReconcileException.class);
        assertThat(kernel.saves()).isGreaterThan(2);
    }

    @Test
    void aFailingReadOfEitherFamilyFailsTheSyncAndWritesNothing() {
        var desired = TestRuleSets.small();
        CommandRunner brokenV6 = c -> c.argv().get(0).startsWith("ip6")
                ? new dev.fwpolicy.engine.dataplane.CommandResult(c, 1, "", "ip6tables: broken\n", Duration.ZERO)
                : kernel.run(c);
        var r = new Reconciler(new IptablesDataplane(brokenV6, NFT), fast);
        assertThatThrownBy(() -> r.sync(desired)).isInstanceOf(dev.fwpolicy.engine.dataplane.DataplaneException.class);
        assertThat(kernel.restores()).isZero();
    }

    @Test
    void aQuietResyncOverTheSameReadBackReusesTheParseAndThePlan() {
        var desired = TestRuleSets.small();
        var r = reconciler(fast);
        r.sync(desired);
        var first = r.plan(desired);
        var again = r.plan(desired);
        assertThat(first.isEmpty()).isTrue();
        // the kernel printed the same bytes and nothing was learned: the very same plans come back
        for (Family f : Family.values()) assertThat(again.family(f).orElseThrow()).isSameAs(first.family(f).orElseThrow());
        // an equal rule set that is another object is planned afresh (identity is the key, not equals)
        var other = r.plan(TestRuleSets.small());
        assertThat(other.isEmpty()).isTrue();
        assertThat(other.family(Family.V4).orElseThrow()).isNotSameAs(first.family(Family.V4).orElseThrow());
        assertThat(kernel.saves()).isEqualTo(4 + 2 * 3); // sync: read + verify; then one read per family per plan: none skipped
    }

    @Test
    void anyChangeInTheReadBackIsStillSeenAfterQuietResyncs() {
        var desired = TestRuleSets.small();
        var r = reconciler(fast);
        r.sync(desired);
        assertThat(r.sync(desired).wroteNothing()).isTrue();
        assertThat(r.sync(desired).wroteNothing()).isTrue();
        // one byte of difference: a rule edited in place, comment kept
        var chain = kernel.tables.get(Family.V4).rules.get("FWP-I-pol0");
        chain.set(0, chain.get(0).replaceFirst(" -j ", " -m mark --mark 0x1 -j "));
        var repair = r.sync(desired);
        assertThat(repair.wroteNothing()).isFalse();
        assertThat(repair.counts().repaired()).isEqualTo(1);
        assertThat(Exactness.problems(kernel.tables.get(Family.V4).toKernelTable(), desired, Family.V4)).isEmpty();
        assertThat(r.sync(desired).wroteNothing()).isTrue();
    }

    @Test
    void theReusedPlanIsKeyedOnWhatWasLearned() {
        // a plan is reused only while ExpectedPrints answers as it did: its version moves on every
        // new or changed print (and on clear), and not when the same print is recorded again
        var desired = TestRuleSets.small();
        var rule = desired.allRules().filter(x -> x.family() == Family.V4 && x.chain().startsWith("FWP-I-")).findFirst().orElseThrow();
        var prints = new ExpectedPrints();
        long start = prints.version();
        prints.record(rule, "-m normalised " + RuleSpecs.spec(rule));
        long learned = prints.version();
        assertThat(learned).isGreaterThan(start);
        prints.record(rule, "-m normalised " + RuleSpecs.spec(rule));
        assertThat(prints.version()).isEqualTo(learned);
        prints.record(rule, "-m other " + RuleSpecs.spec(rule));
        assertThat(prints.version()).isGreaterThan(learned);
        long before = prints.version();
        prints.clear();
        assertThat(prints.version()).isGreaterThan(before);
    }
}
