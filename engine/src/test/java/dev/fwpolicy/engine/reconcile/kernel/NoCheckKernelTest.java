package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 1, and the incident behind it. With a wrapper first on PATH that fails the test if
 * {@code -C}/{@code --check} is ever passed and answers "does not exist" to every check (as
 * iptables 1.8.10 did), fwpolicy runs 100 sync cycles without a single duplicate, while a
 * kube-router-style check-then-append reconciler piles up copies under the same wrapper.
 */
@Tag("kernel")
class NoCheckKernelTest {
    private static final RuleSet DESIRED = TestRuleSets.small();

    /** How many times each fwp1 id appears, across owned chains and built-in jumps. */
    private static Map<String, Long> idCounts(IptablesDataplane dataplane, Family f) {
        return dataplane.read(f).chains().values().stream().flatMap(c -> c.rules().stream())
                .map(KernelRule::id).flatMap(java.util.Optional::stream)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void hundredSyncCyclesNeverAskCheckAndLeaveZeroDuplicates(Backend backend) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            var dataplane = KernelSupport.dataplane(runner, backend);
            var reconciler = new Reconciler(dataplane, ReconcilerOptions.defaults());
            var spec = DESIRED.chains(Family.V4).get(1).rules().get(0);
            for (int cycle = 1; cycle <= 100; cycle++) {
                if (cycle % 10 == 0) {
                    // Someone (a past buggy sync) appended copies: the next cycle must remove them, not add more.
                    var dup = new StringBuilder("*filter\n");
                    for (int k = 0; k < 25; k++) dup.append(RuleSpecs.saveLine(spec)).append('\n');
                    KernelSupport.restore(runner, backend, Family.V4, dup.append("COMMIT\n").toString());
                }
                reconciler.sync(DESIRED);
                for (Family f : Family.values()) {
                    assertThat(idCounts(dataplane, f)).as("cycle %d %s", cycle, f).allSatisfy((id, n) -> assertThat(n).isEqualTo(1L))
                            .hasSize((int) DESIRED.allRules().filter(r -> r.family() == f).count());
                }
            }
            for (Family f : Family.values()) assertThat(Exactness.problems(dataplane.read(f), DESIRED, f)).isEmpty();
            assertThat(shims.checkViolations()).as("-C/--check calls").isEmpty();
            assertThat(shims.calls()).as("the wrappers were really on PATH")
                    .anyMatch(c -> c.startsWith(backend.save(Family.V4)))
                    .anyMatch(c -> c.startsWith(backend.restore(Family.V4)));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void naiveCheckThenAppendDuplicatesUnderTheSameWrapper(Backend backend) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            var naive = new NaiveCheckThenAppend(runner, backend);
            for (int cycle = 0; cycle < 5; cycle++) naive.sync(DESIRED);
            var counts = idCounts(KernelSupport.dataplane(runner, backend), Family.V4);
            assertThat(counts).hasSize((int) DESIRED.allRules().filter(r -> r.family() == Family.V4).count())
                    .allSatisfy((id, n) -> assertThat(n).as("copies of %s", id).isEqualTo(5L));
            assertThat(shims.checkViolations()).as("the wrapper saw the -C calls").isNotEmpty()
                    .allMatch(c -> c.contains(" -C "));
        }
    }
}
