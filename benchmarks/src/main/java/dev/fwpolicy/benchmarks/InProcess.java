package dev.fwpolicy.benchmarks;

import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH figures (compile, and evaluate once the evaluator exists), run from the harness so they land in the same table. */
final class InProcess {
    private InProcess() {}

    static void compile(Report report, SideBySide.Options opt) {
        var sizes = opt.sizes().stream().map(String::valueOf).toArray(String[]::new);
        var b = new OptionsBuilder().include(CompileBenchmark.class.getName() + ".compile").param("rules", sizes).forks(1);
        if (opt.quick()) b.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2).measurementTime(TimeValue.seconds(1));
        SideBySide.log("JMH: CompileBenchmark, rules=" + String.join(",", sizes));
        try {
            for (RunResult r : new Runner(b.build()).run()) {
                int n = Integer.parseInt(r.getParams().getParam("rules"));
                var s = r.getPrimaryResult().getStatistics();
                var stat = new Stat(s.getPercentile(50), s.getMin(), s.getMax(), (int) s.getN());
                report.rows.add(new Row("compile (JMH, warm)", "—", n, "ms", Optional.of(stat), "—", Optional.empty(),
                        n == 10_000 ? Goal.VALUE_AT_MOST : Goal.NONE, 500, n == 10_000 ? "<500 ms" : "—",
                        "parse, check, lower, hash, shadow analysis; per-iteration averages (" + r.getPrimaryResult().getScoreUnit() + ")"));
            }
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
    }
}
