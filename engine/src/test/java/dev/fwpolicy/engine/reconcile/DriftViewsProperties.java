package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.ChainNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.eval.KernelModel;
import dev.fwpolicy.engine.iptables.ExpectedPrints;
import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * One drift classifier: for any damage the convergence generator can do, the planner gives
 * every kernel rule and every desired rule exactly one status, the statuses agree with an
 * independent count of copies, and every view derived from them (the plan's problems as diff
 * shows them, the kernel model eval walks, the apply summary of a real sync) reports the same.
 */
class DriftViewsProperties {

    @Property(tries = 300)
    void everyViewReportsTheSameDrift(@ForAll("damages") List<Damage> damages, @ForAll @IntRange(min = 0, max = 1) int family) {
        Family f = Family.values()[family];
        RuleSet desired = TestRuleSets.generate(3, 4, 0);
        var kernel = TableModel.of(desired, f);
        for (Damage d : damages) d.applyTo(kernel);
        kernel.rules.get("INPUT").add("-s " + (f == Family.V4 ? "198.51.100.9/32" : "2001:db8:eeee::9/128") + " -j DROP");
        var table = kernel.toKernelTable();
        var plan = Planner.plan(desired, f, table, new ExpectedPrints());

        // Total and single: each rule of fwpolicy's part once, each desired rule once.
        Map<String, Drift> byPosition = new HashMap<>();
        for (Drift d : plan.drift()) {
            d.kernel().ifPresent(k -> assertThat(byPosition.put(k.chain() + "#" + k.position(), d)).as("classified twice: " + d).isNull());
        }
        for (var chain : table.chains().values()) {
            boolean owned = ChainNames.isOwned(chain.name());
            for (KernelRule r : chain.rules()) {
                Drift d = byPosition.get(chain.name() + "#" + r.position());
                if (!owned && !chain.builtin()) {
                    assertThat(d).as("a foreign chain is not fwpolicy's").isNull();
                    continue;
                }
                assertThat(d).as("unclassified: " + r.saveLine()).isNotNull();
                if (!owned && r.id().isEmpty()) assertThat(d.status()).isEqualTo(DriftStatus.FOREIGN);
            }
        }
        var desiredStatuses = EnumSet.of(DriftStatus.IN_SYNC, DriftStatus.MOVED, DriftStatus.TAMPERED, DriftStatus.MISSING,
                DriftStatus.MISSING_JUMP);
        Map<String, Integer> perDesired = new HashMap<>();
        for (Drift d : plan.drift()) {
            if (desiredStatuses.contains(d.status()) && d.desired().isPresent()) perDesired.merge(key(d.desired().get()), 1, Integer::sum);
        }
        List<CompiledRule> wanted = desired.allRules().filter(r -> r.family() == f).toList();
        for (CompiledRule r : wanted) assertThat(perDesired.get(key(r))).as("one status for " + RuleSpecs.saveLine(r)).isEqualTo(1);

        // Independent of the planner: copies of a desired rule in its chain beyond the first are duplicates,
        // rules of fwpolicy's part with no desired identity in their chain are unknown.
        Map<String, Integer> copies = new HashMap<>();
        int unknown = 0;
        Set<String> wantedKeys = new java.util.HashSet<>();
        wanted.forEach(r -> wantedKeys.add(r.chain() + "/" + r.id()));
        for (var chain : table.chains().values()) {
            boolean owned = ChainNames.isOwned(chain.name());
            if (!owned && !chain.builtin()) continue;
            for (KernelRule r : chain.rules()) {
                if (!owned && r.id().isEmpty()) continue;
                String k = chain.name() + "/" + r.id().orElse("");
                if (r.id().isPresent() && wantedKeys.contains(k)) copies.merge(k, 1, Integer::sum);
                else unknown++;
            }
        }
        int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        var counts = new Plan(new DetectedBackend(Backend.NFT, "fake", "test"), List.of(plan)).countsByStatus();
        assertThat(counts.get(DriftStatus.DUPLICATE)).isEqualTo(duplicates);
        assertThat(counts.get(DriftStatus.UNKNOWN)).isEqualTo(unknown);
        assertThat(counts.get(DriftStatus.MISSING) + counts.get(DriftStatus.MISSING_JUMP))
                .isEqualTo((int) wanted.stream().filter(r -> !copies.containsKey(r.chain() + "/" + r.id())).count());

        // The eval view: the kernel model lists exactly the plan's problems.
        var view = new KernelView(Map.of(f, table), new Plan(new DetectedBackend(Backend.NFT, "fake", "test"), List.of(plan)));
        assertThat(KernelModel.of(view, Set.of(f)).drift()).isEqualTo(view.plan().problems());

        // The apply summary: a real sync over this kernel counts what the classifier found.
        var fake = new FakeKernel();
        fake.tables.put(f, kernel);
        var options = new ReconcilerOptions(EnumSet.of(f), 3, Duration.ofMillis(1), UnaryOperator.identity());
        var firstPlan = new ArrayList<Plan>();
        var report = new Reconciler(new IptablesDataplane(fake, new DetectedBackend(Backend.NFT, "fake", "test")), options)
                .sync(desired, v -> firstPlan.add(v.plan()));
        assertThat(firstPlan.get(0).drift()).isEqualTo(plan.drift());
        assertThat(report.counts()).isEqualTo(ChangeCounts.of(plan.drift()));
        assertThat(report.counts()).isEqualTo(plan.counts());
    }

    /** Every copy of a rule out of order: the first is the one that moved, the others are duplicates. */
    @net.jqwik.api.Example
    void aRuleWhoseEveryCopyIsOutOfOrderMovedOnceAndIsDuplicatedOtherwise() {
        RuleSet desired = TestRuleSets.generate(3, 4, 0);
        var kernel = TableModel.of(desired, Family.V4);
        String chain = kernel.ownedChains().stream().filter(c -> kernel.rules.get(c).size() >= 3).findFirst().orElseThrow();
        var rules = kernel.rules.get(chain);
        String first = rules.remove(0);
        rules.add(first);
        rules.add(first);
        var plan = Planner.plan(desired, Family.V4, kernel.toKernelTable(), new ExpectedPrints());
        assertThat(plan.drift().stream().filter(d -> d.status().isDrift()).map(d -> d.status() + "@" + d.position()).toList())
                .containsExactly("MOVED@" + (rules.size() - 1), "DUPLICATE@" + rules.size());
    }

    private static String key(CompiledRule r) {
        return r.chain() + "/" + r.id();
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        var ints = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Damage> one = Combinators.combine(Arbitraries.of(Damage.Kind.class), ints, ints, ints).as(Damage::new);
        return one.list().ofMinSize(0).ofMaxSize(12);
    }
}
