package dev.fwpolicy.engine.reconcile.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariant 6: a sync with nothing to change writes nothing. */
@Tag("kernel")
class ReapplyKernelTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void firstApplyOfTheExamplesWritesThenTheSecondWritesNothing(Backend backend) {
        KernelSupport.requireKernel();
        var desired = Examples.compiled();
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            var reconciler = new Reconciler(KernelSupport.dataplane(runner, backend), ReconcilerOptions.defaults());

            var first = reconciler.sync(desired);
            assertThat(first.restoreInvocations()).isEqualTo(2);
            assertThat(first.counts().added()).isEqualTo(desired.ruleCount());
            assertThat(first.renderMismatches()).as("renderer prints what iptables-save prints").isZero();
            var afterFirst4 = KernelSupport.saveText(runner, backend, Family.V4);
            var afterFirst6 = KernelSupport.saveText(runner, backend, Family.V6);
            for (Family f : Family.values()) {
                assertThat(Exactness.problems(KernelSupport.dataplane(runner, backend).read(f), desired, f)).isEmpty();
            }

            shims.clearCalls();
            var second = reconciler.sync(desired);
            assertThat(second.restoreInvocations()).isZero();
            assertThat(second.counts().unchanged()).isEqualTo(desired.ruleCount());
            assertThat(shims.calls()).as("tool calls of the second sync").isNotEmpty()
                    .noneMatch(c -> c.contains("-restore"));
            assertThat(KernelSupport.saveText(runner, backend, Family.V4)).isEqualTo(afterFirst4);
            assertThat(KernelSupport.saveText(runner, backend, Family.V6)).isEqualTo(afterFirst6);
        }
    }
}
