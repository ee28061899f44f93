package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.SyncReport;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures a 10,000-rule chain: first apply, no-op sync and one-rule change through the
 * reconciler, next to the raw iptables-restore of the same rule set and a raw iptables-save of
 * it, in the same run. Opt-in ({@code -Dfwp.bench=true}); prints a table and appends it to
 * {@code target/reconcile-bench.txt}. Still asserts the outcomes, so a fast wrong answer fails.
 */
@Tag("kernel")
@Tag("benchmark")
class ReconcileBenchmarkKernelTest {
    private static final int RULES = 10_000;
    private static final int REPEATS = 5;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tenThousandRules(Backend backend) throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("fwp.bench"), "benchmark: run with -Dfwp.bench=true");
        KernelSupport.requireKernel();
        var base = TestRuleSets.big(RULES, -1);
        var edited = TestRuleSets.big(RULES, RULES / 2);
        var lines = new ArrayList<String>();
        try (var warmup = Netns.create()) {
            // JIT-compile the parser and planner on a smaller chain so the first measured apply is not the JVM's first.
            var r = KernelSupport.reconciler(warmup, backend);
            r.sync(TestRuleSets.big(RULES / 5, -1));
            r.sync(TestRuleSets.big(RULES / 5, 7));
        }

        try (var raw = Netns.create()) {
            var runner = KernelSupport.runner(raw);
            String payload = RestoreRenderer.render(base, Family.V4);
            long restore = time(() -> runner.run(Command.of(backend.restore(Family.V4), "--noflush", "--wait").withStdin(payload)).requireOk());
            List<Long> saves = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) saves.add(time(() -> runner.run(Command.of(backend.save(Family.V4), "-t", "filter")).requireOk()));
            lines.add(row(backend, "raw iptables-restore, full set (" + payload.lines().count() + " lines)", restore));
            lines.add(row(backend, "raw iptables-save -t filter (median of " + REPEATS + ")", median(saves)));
        }
        try (var netns = Netns.create()) {
            var reconciler = KernelSupport.reconciler(netns, backend);
            var dataplane = KernelSupport.dataplane(KernelSupport.runner(netns), backend);
            SyncReport first = reconciler.sync(base);
            assertThat(first.counts().added()).isEqualTo(base.ruleCount());
            lines.add(row(backend, "fwpolicy first apply (" + first.payloadLines() + " payload lines, 2 families)", first.duration().toMillis()));

            List<Long> noops = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                var r = reconciler.sync(base);
                assertThat(r.wroteNothing()).isTrue();
                noops.add(r.duration().toMillis());
            }
            lines.add(row(backend, "fwpolicy no-op sync (median of " + REPEATS + ")", median(noops)));

            List<Long> edits = new ArrayList<>();
            int payloadLines = 0;
            for (int i = 0; i < REPEATS; i++) {
                var r = reconciler.sync(i % 2 == 0 ? edited : base);
                assertThat(r.payloadLines()).isLessThanOrEqualTo(3);
                payloadLines = r.payloadLines();
                edits.add(r.duration().toMillis());
            }
            lines.add(row(backend, "fwpolicy one-rule change (" + payloadLines + " payload lines, median of " + REPEATS + ")", median(edits)));

            // Where a sync's time goes: one read-back (process + parse) and one plan of the 10,000-rule chain.
            List<Long> reads = new ArrayList<>();
            List<Long> plans = new ArrayList<>();
            for (int i = 0; i < REPEATS; i++) {
                reads.add(time(() -> dataplane.read(Family.V4)));
                var table = dataplane.read(Family.V4);
                plans.add(time(() -> dev.fwpolicy.engine.reconcile.Planner.plan(base, Family.V4, table,
                        new dev.fwpolicy.engine.iptables.ExpectedPrints())));
            }
            lines.add(row(backend, "  of which: one read-back incl. parse (median)", median(reads)));
            lines.add(row(backend, "  of which: one plan, in-process (median)", median(plans)));
            assertThat(Exactness.problems(dataplane.read(Family.V4), edited, Family.V4)).isEmpty();
        }
        lines.forEach(System.out::println);
        Files.write(Path.of("target/reconcile-bench.txt"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String row(Backend backend, String what, long millis) {
        return String.format("%-7s %-62s %6d ms", backend.label(), what, millis);
    }

    private static long time(Supplier<?> action) {
        long start = System.nanoTime();
        action.get();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> values) {
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
