package dev.fwpolicy.benchmarks;

import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import dev.fwpolicy.engine.compare.PolicyComparison;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code fwpolicy compare OLD NEW} of two 10,000-rule policies (issue 16): the generated
 * allow-list against a revised copy (1 % of the ports changed, 0.4 % of the rules dropped, 0.2 %
 * added), as a fresh process the way {@code ./fwpolicy} starts it, against {@code fwpolicy check}
 * of the two files one after the other (what a CI job runs anyway); and the comparison alone,
 * in this JVM after warm-up, against compiling the two policies in this JVM. A second pair,
 * every rule's port changed (the same-port policy), shows a comparison where nothing is alike.
 */
final class PolicyCompare {
    private PolicyCompare() {}

    static int size(SideBySide.Options opt) {
        return opt.quick() ? 200 : 10_000;
    }

    static void figures(Report report, SideBySide.Options opt) throws IOException {
        int n = size(opt);
        Path dir = Files.createTempDirectory("fwp-bench-compare");
        try {
            var oldSource = PolicyGenerator.generate(n);
            var newSource = PolicyGenerator.revised(n);
            var old = write(dir, oldSource);
            var now = write(dir, newSource);
            var compare = new ArrayList<Double>();
            var checks = new ArrayList<Double>();
            for (int i = 0; i < opt.repeat(); i++) {
                compare.add(PolicyShapes.run(opt, List.of("compare", old.toString(), now.toString())));
                checks.add(PolicyShapes.run(opt, List.of("check", old.toString())) + PolicyShapes.run(opt, List.of("check", now.toString())));
            }
            SideBySide.log("compare: fwpolicy compare N=" + n + ": " + Stat.of(compare).text() + " ms, two checks " + Stat.of(checks).text() + " ms");
            report.rows.add(new Row("`fwpolicy compare OLD NEW` (fresh process)", "—", n, "ms", Optional.of(Stat.of(compare)),
                    "`fwpolicy check OLD` then `fwpolicy check NEW` (two fresh processes)", Optional.of(Stat.of(checks)),
                    Goal.VALUE_AT_MOST, 2000, "<2 s",
                    "OLD: the usual N-rule allow-list; NEW: 1 % of ports changed, 0.4 % of rules dropped, 0.2 % added; "
                            + "JVM start included, as ./fwpolicy runs it"));

            var compiler = new Compiler();
            inProcess(report, opt, n, compiler, oldSource, newSource, "revised copy (1 % ports, 0.4 % dropped, 0.2 % added)");
            inProcess(report, opt, n, compiler, oldSource, PolicyGenerator.samePort(n), "every rule's port changed (same-port policy)");
        } finally {
            try (var files = Files.list(dir)) {
                for (var f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void inProcess(Report report, SideBySide.Options opt, int n, Compiler compiler, SourceFile a, SourceFile b,
                                  String shape) {
        RuleSet before = compile(compiler, a);
        RuleSet after = compile(compiler, b);
        int changes = 0;
        // Warm-up: the JIT, as in a long-running sidecar answering POST /v1/check with compare.
        for (int i = 0; i < 5; i++) {
            changes = PolicyComparison.compare(before, after).size();
            compile(compiler, a);
        }
        var compare = new ArrayList<Double>();
        var compiles = new ArrayList<Double>();
        for (int i = 0; i < Math.max(opt.repeat(), 5); i++) {
            long t = System.nanoTime();
            PolicyComparison.compare(before, after);
            compare.add((System.nanoTime() - t) / 1e6);
            t = System.nanoTime();
            compile(compiler, a);
            compile(compiler, b);
            compiles.add((System.nanoTime() - t) / 1e6);
        }
        SideBySide.log("compare in-process N=" + n + " (" + shape + "): " + Stat.of(compare).text() + " ms, " + changes
                + " changes; compiling both " + Stat.of(compiles).text() + " ms");
        report.rows.add(new Row("compare two compiled policies (in-process, warm)", "—", n, "ms", Optional.of(Stat.of(compare)),
                "compiling the two policies (in-process, warm)", Optional.of(Stat.of(compiles)), Goal.NONE, 0, "—",
                "NEW: " + shape + "; " + changes + " classes of packets reported"));
    }

    private static RuleSet compile(Compiler compiler, SourceFile source) {
        var result = compiler.compile(List.of(source));
        return result.ruleSet().orElseThrow(() -> new IllegalStateException(source.name() + " does not compile: " + result.diagnostics()));
    }

    private static Path write(Path dir, SourceFile source) throws IOException {
        var file = dir.resolve(source.name());
        Files.writeString(file, source.text());
        return file;
    }
}
