package dev.fwpolicy.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.dataplane.Backend;
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
}
