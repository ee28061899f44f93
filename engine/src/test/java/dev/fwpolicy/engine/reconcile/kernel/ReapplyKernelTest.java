package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 6: a sync with nothing to change writes nothing. Each example policy in turn is
 * applied (the first onto an empty kernel, the others replacing the previous example), then
 * applied again: the second apply runs no restore at all and the table is unchanged.
 */
@Tag("kernel")
class ReapplyKernelTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void firstApplyOfEachExampleWritesThenTheSecondWritesNothing(Backend backend) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            var dataplane = KernelSupport.dataplane(runner, backend);
            // With ipset: an example with dynamic sets (shop) matches kernel sets, applied empty here.
            var reconciler = new Reconciler(dataplane, dev.fwpolicy.engine.dataplane.IpsetDataplane.open(runner), ReconcilerOptions.defaults());
            boolean firstExample = true;
            for (var example : Examples.compiled().entrySet()) {
                var desired = example.getValue();
                var first = reconciler.sync(desired);
                assertThat(first.restoreInvocations()).as(example.getKey()).isBetween(1, 2);
                if (firstExample) assertThat(first.counts().added()).isEqualTo(desired.ruleCount());
                firstExample = false;
                assertThat(first.renderMismatches()).as("%s: renderer prints what iptables-save prints", example.getKey()).isZero();
                for (Family f : Family.values()) assertThat(Exactness.problems(dataplane.read(f), desired, f)).as(example.getKey()).isEmpty();
                var afterFirst4 = KernelSupport.saveText(runner, backend, Family.V4);
                var afterFirst6 = KernelSupport.saveText(runner, backend, Family.V6);

                shims.clearCalls();
                var second = reconciler.sync(desired);
                assertThat(second.restoreInvocations()).isZero();
                assertThat(second.counts().unchanged()).isEqualTo(desired.ruleCount());
                assertThat(shims.calls()).as("tool calls of the second sync of %s", example.getKey()).isNotEmpty()
                        .noneMatch(c -> c.contains("-restore"));
                assertThat(KernelSupport.saveText(runner, backend, Family.V4)).isEqualTo(afterFirst4);
                assertThat(KernelSupport.saveText(runner, backend, Family.V6)).isEqualTo(afterFirst6);
            }
        }
    }
}
