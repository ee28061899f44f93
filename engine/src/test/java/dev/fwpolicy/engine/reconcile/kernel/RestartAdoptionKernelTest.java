package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Reconciler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 7: a fresh engine (new process: nothing learned, backend auto-detected) over a
 * correct kernel adopts it with zero writes; it never flushes first.
 */
@Tag("kernel")
class RestartAdoptionKernelTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void freshEngineOverCorrectStateWritesNothing(Backend backend) {
        KernelSupport.requireKernel();
        var examples = Examples.compiled();
        var desired = examples.getOrDefault("layered", examples.values().iterator().next());
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            KernelSupport.reconciler(runner, backend, dev.fwpolicy.engine.reconcile.ReconcilerOptions.defaults()).sync(desired);
            String v4 = KernelSupport.saveText(runner, backend, Family.V4);
            shims.clearCalls();

            var fresh = new Reconciler(IptablesDataplane.open(runner, BackendChoice.AUTO));
            assertThat(fresh.backend().backend()).as("auto-detection finds the backend holding the rules").isEqualTo(backend);
            assertThat(fresh.backend().version()).contains("1.");
            var plan = fresh.plan(desired);
            assertThat(plan.isEmpty()).isTrue();
            var report = fresh.sync(desired);
            assertThat(report.wroteNothing()).isTrue();
            assertThat(report.counts().unchanged()).isEqualTo(desired.ruleCount());
            assertThat(shims.calls()).isNotEmpty().noneMatch(c -> c.contains("-restore"));
            assertThat(KernelSupport.saveText(runner, backend, Family.V4)).isEqualTo(v4);
        }
    }
}
