package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.engine.testing.KernelAvailable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.iptables.KernelChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Damage;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.TableModel;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Invariant 2 on the real kernel: from any damage (rules deleted, duplicated by the hundred,
 * moved, edited in place keeping their comment, junk and fake-id rules, owned chains deleted,
 * stale chains, jumps removed or duplicated, foreign rules added), one sync yields exactly the
 * desired state, leaves foreign rules as they were, and the next sync writes nothing.
 */
@Tag("kernel")
@AddLifecycleHook(KernelAvailable.class)
class ConvergenceKernelProperties {
    private static final RuleSet START = TestRuleSets.generate(3, 4, 0);

    @Property(tries = 40)
    void nftConvergesFromAnyDamage(@ForAll("damages") List<Damage> v4, @ForAll("damages") List<Damage> v6,
                                   @ForAll @IntRange(min = 0, max = 3) int variant) {
        convergesFrom(Backend.NFT, v4, v6, variant);
    }

    @Property(tries = 40)
    void legacyConvergesFromAnyDamage(@ForAll("damages") List<Damage> v4, @ForAll("damages") List<Damage> v6,
                                      @ForAll @IntRange(min = 0, max = 3) int variant) {
        convergesFrom(Backend.LEGACY, v4, v6, variant);
    }

    private void convergesFrom(Backend backend, List<Damage> v4, List<Damage> v6, int variant) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            var dataplane = KernelSupport.dataplane(runner, backend);
            var reconciler = new Reconciler(dataplane);
            reconciler.sync(START);

            Map<Family, Map<String, List<String>>> foreignBefore = new EnumMap<>(Family.class);
            for (Family f : Family.values()) {
                var table = dataplane.read(f);
                var model = TableModel.of(table);
                for (Damage d : f == Family.V4 ? v4 : v6) d.applyTo(model);
                var ownedNow = table.chains().values().stream().filter(c -> !c.builtin() && ChainNames.isOwned(c.name()))
                        .map(KernelChain::name).toList();
                KernelSupport.write(runner, backend, model, ownedNow);
                foreignBefore.put(f, Exactness.foreign(dataplane.read(f)));
            }

            // 0: same policy; 1, 2: fewer policies, every port changed; 3: same ids, every comment changed.
            var desired = variant == 3 ? TestRuleSets.withComments(START, "moved-to-line-99")
                    : TestRuleSets.generate(3 - variant, 4, variant);
            var report = reconciler.sync(desired);
            assertThat(report.attempts()).as("converged in one write round").isLessThanOrEqualTo(1);
            for (Family f : Family.values()) {
                var table = dataplane.read(f);
                assertThat(Exactness.problems(table, desired, f)).as("%s after %s", f, f == Family.V4 ? v4 : v6).isEmpty();
                assertThat(Exactness.foreign(table)).isEqualTo(foreignBefore.get(f));
            }
            assertThat(reconciler.sync(desired).wroteNothing()).isTrue();
        }
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        var ints = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Damage> one = Combinators.combine(Arbitraries.of(Damage.Kind.class), ints, ints, ints).as(Damage::new);
        return one.list().ofMinSize(0).ofMaxSize(10);
    }
}
