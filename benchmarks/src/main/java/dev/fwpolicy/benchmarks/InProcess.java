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

    /**
     * Evaluation figures: the evaluator (issue: dev.fwpolicy.engine.eval, EvaluateBenchmark,
     * POST /v1/evaluate) had not landed when this harness was written; until it has, the rows
     * say so instead of showing a number.
     */
    static void evaluate(Report report, SideBySide.Options opt) {
        boolean evaluator = exists("dev.fwpolicy.benchmarks.EvaluateBenchmark");
        String why = evaluator ? "not measured: EvaluateBenchmark exists but the harness does not drive it yet"
                : "not measured: the evaluator (dev.fwpolicy.engine.eval) is not on main yet";
        report.rows.add(new Row("evaluate one flow (JMH, one core)", "—", 10_000, "flows/s", Optional.empty(), "—", Optional.empty(),
                Goal.VALUE_AT_LEAST, 100_000, "≥100,000 flows/s", why));
        report.rows.add(new Row("POST /v1/evaluate under load (wrk, loopback)", "—", 10_000, "req/s", Optional.empty(), "—",
                Optional.empty(), Goal.VALUE_AT_LEAST, 5_000, "≥5,000 req/s", why.replace("EvaluateBenchmark exists", "the endpoint exists")));
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, InProcess.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
