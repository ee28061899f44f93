package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.sidecar.json.DecisionJson;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.eval.ExpectationRunner;
import dev.fwpolicy.engine.ir.CompiledRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run every 'expect' of the 'test' blocks against the compiled rule set.",
            "A failure names the expectation (file:line:col), the verdict it got and the rule that decided.",
            "--coverage lists the rules no expectation reaches; with --threshold N it fails below N percent.",
            "Exit 0 when every expectation holds (and coverage is high enough), 1 otherwise."})
public final class TestCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Option(names = "--coverage", description = "Report which written rules the expectations reach.")
    boolean coverage;

    @Option(names = "--threshold", paramLabel = "N", description = "Fail when rule coverage is below N percent (implies --coverage).")
    Double threshold;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (threshold != null && (threshold < 0 || threshold > 100)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threshold must be 0 to 100, not " + threshold);
        }
        boolean showCoverage = coverage || threshold != null;
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        var result = policy.compile(err, PolicyInputs.Report.ERRORS_ONLY);
        if (result.ruleSet().isEmpty()) {
            err.println("test: the policy does not compile; no expectation was run");
            return ExitCodes.FAILED;
        }
        var report = ExpectationRunner.run(result);
        double percent = report.coverage().percent();
        boolean underThreshold = threshold != null && percent + 1e-9 < threshold;
        boolean failed = !report.passed() || underThreshold;
        if (format == OutputFormat.json) {
            var failures = new JsonArray();
            for (var f : report.failures()) {
                failures.add(new JsonObject()
                        .put("test", f.test().name().text())
                        .put("expectation", f.expectText())
                        .put("location", f.expectation().span().location())
                        .put("expected", f.expectation().verdict().keyword())
                        .put("decision", DecisionJson.toJson(f.decision())));
            }
            var json = new JsonObject().put("ok", !failed).put("expectationCount", report.results().size())
                    .put("failedCount", report.failures().size()).put("failures", failures);
            if (showCoverage) {
                var uncovered = new JsonArray();
                report.coverage().uncovered().forEach(r -> uncovered.add(DecisionJson.rule(r)));
                json.put("coverage", new JsonObject().put("percent", percent)
                        .put("coveredCount", report.coverage().covered().size()).put("uncovered", uncovered));
                if (threshold != null) json.put("threshold", threshold);
            }
            out.println(json.encodePrettily());
        } else {
            for (var f : report.failures()) out.print(f.failureText());
            long tests = report.results().stream().map(r -> r.test()).distinct().count();
            out.printf("%s: %d expectation check(s) in %d test block(s), %d failed%n", report.passed() ? "ok" : "FAILED",
                    report.results().size(), tests, report.failures().size());
            if (showCoverage) printCoverage(out, report.coverage(), percent);
            if (underThreshold) out.printf(Locale.ROOT, "coverage %.1f%% is below the threshold of %.1f%%%n", percent, threshold);
        }
        out.flush();
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static void printCoverage(java.io.PrintWriter out, ExpectationRunner.Coverage c, double percent) {
        int total = c.covered().size() + c.uncovered().size();
        out.printf(Locale.ROOT, "coverage: %.1f%% (%d of %d rules reached)%n", percent, c.covered().size(), total);
        if (c.uncovered().isEmpty()) return;
        out.println("not reached by any expectation:");
        // One written statement can compile to several rules (per family, address, port group).
        var byStatement = new LinkedHashMap<String, List<CompiledRule>>();
        for (var r : c.uncovered()) {
            var o = r.origin();
            byStatement.computeIfAbsent(o.span().location() + "  " + o.text(), k -> new java.util.ArrayList<>()).add(r);
        }
        byStatement.forEach((statement, rules) -> {
            out.println("  " + statement);
            for (var r : rules) out.println("      " + r.family().label() + "  " + RuleSpecs.saveLine(r));
        });
    }
}
