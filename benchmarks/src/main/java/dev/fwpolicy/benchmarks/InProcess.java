package dev.fwpolicy.benchmarks;

import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import java.util.List;
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

    /** Parse of an N-rule read-back and a no-op plan against it: fwpolicy's own share of a no-op sync. */
    static void readBack(Report report, SideBySide.Options opt) {
        var sizes = opt.sizes().stream().map(String::valueOf).toArray(String[]::new);
        var b = new OptionsBuilder().include(ReadBackBenchmark.class.getName()).param("rules", sizes).forks(1);
        if (opt.quick()) b.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2).measurementTime(TimeValue.seconds(1));
        SideBySide.log("JMH: ReadBackBenchmark, rules=" + String.join(",", sizes));
        try {
            for (RunResult r : new Runner(b.build()).run()) {
                int n = Integer.parseInt(r.getParams().getParam("rules"));
                var s = r.getPrimaryResult().getStatistics();
                String what = r.getParams().getBenchmark().endsWith("parse") ? "parse an iptables-save read-back (JMH, warm)"
                        : "plan a no-op against it (JMH, warm)";
                report.rows.add(new Row(what, "—", n, "ms", Optional.of(new Stat(s.getPercentile(50), s.getMin(), s.getMax(), (int) s.getN())),
                        "—", Optional.empty(), Goal.NONE, 0, "—", "IPv4 table of N rules, in process, no processes run"));
            }
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
    }

    /** The first compile in a fresh JVM (default flags, and C1 only), as a starting sidecar pays it. */
    static void coldCompile(Report report, SideBySide.Options opt) {
        String jar = System.getProperty("java.class.path");
        for (List<String> flags : List.of(List.<String>of(), List.of("-XX:TieredStopAtLevel=1"))) {
            for (int n : opt.sizes()) {
                if (n > 10_000) continue;
                var firsts = new java.util.ArrayList<Double>();
                for (int i = 0; i < Math.min(opt.repeat(), 3); i++) {
                    var argv = new java.util.ArrayList<String>();
                    argv.add("java");
                    argv.addAll(flags);
                    argv.addAll(List.of("-cp", jar, ColdCompile.class.getName(), String.valueOf(n)));
                    try {
                        var p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        if (p.waitFor() != 0) throw new IllegalStateException("ColdCompile failed: " + out);
                        var m = java.util.regex.Pattern.compile("compile 0 ([0-9.]+)").matcher(out);
                        if (!m.find()) throw new IllegalStateException("ColdCompile printed: " + out);
                        firsts.add(Double.parseDouble(m.group(1)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                report.rows.add(new Row("compile, cold: first in a fresh JVM" + (flags.isEmpty() ? "" : " (" + String.join(" ", flags) + ")"),
                        "—", n, "ms", Optional.of(Stat.of(firsts)), "—", Optional.empty(), Goal.NONE, 0, "—",
                        "what a starting sidecar pays before its first sync; JVM start itself not included"));
            }
        }
    }

    /** The evaluator's throughput on one thread (JMH), both policy shapes of {@link EvaluateBenchmark}. */
    static void evaluate(Report report, SideBySide.Options opt) {
        var b = new OptionsBuilder().include(EvaluateBenchmark.class.getName()).param("rules", "10000").forks(1).threads(1);
        if (opt.quick()) b.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2).measurementTime(TimeValue.seconds(1));
        SideBySide.log("JMH: EvaluateBenchmark, rules=10000");
        try {
            for (RunResult r : new Runner(b.build()).run()) {
                var s = r.getPrimaryResult().getStatistics();
                String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
                String shape = r.getParams().getParam("shape");
                boolean query = method.equals("decide");
                report.rows.add(new Row("evaluate one flow: " + (query ? "verdict + deciding rule" : "with full explain trace")
                        + " (JMH, 1 thread), shape " + shape, "—", 10_000, "flows/s",
                        Optional.of(new Stat(s.getPercentile(50), s.getMin(), s.getMax(), (int) s.getN())), "—", Optional.empty(),
                        query ? Goal.VALUE_AT_LEAST : Goal.NONE, 100_000, query ? "≥100,000 flows/s" : "—",
                        "EvaluateBenchmark." + method + ", per-iteration throughput"));
            }
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed", e);
        }
    }

}
