package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.json.CheckJson;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.eval.PolicyCheck;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Parse and check policy files; print every problem as file:line:col with the source line.",
            "Nothing is applied. Exit 0 when clean (warnings allowed), 1 on errors."})
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Mixin
    MustPassOptions mustPass;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--werror", description = "Treat warnings as errors.")
    boolean warningsAreErrors;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var guard = mustPass.guard(spec);
        var sources = PolicyInputs.read(policy.paths());
        // Without --cluster-state, check still checks: dynamic sets' members are noted as unknown.
        var cluster = policy.cluster(true);
        var result = new PolicyCheck(policy.compiler(), guard, () -> cluster).check(sources);
        boolean failed = result.hasErrors() || warningsAreErrors && result.warningCount() > 0;
        var out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            var json = CheckJson.toJson(result, sources.size(), !failed);
            out.println(json.encodePrettily());
        } else {
            var err = spec.commandLine().getErr();
            err.print(new DiagnosticPrinter(sources).printAll(result.diagnostics()));
            // print() does not flush an auto-flushing writer: without this, the warnings and notes
            // of a check that passes were never shown on a real terminal (printf on failure flushed).
            err.flush();
            if (failed) {
                err.printf("check failed: %s in %d file(s)%n", result.errorsText() + ", " + result.warningsText(), sources.size());
            } else {
                var rs = result.ruleSet().orElseThrow();
                out.printf("ok: %d file(s), %d rule(s) (ipv4 %d, ipv6 %d), %s, revision %s%n", sources.size(),
                        rs.ruleCount(), count(rs, dev.fwpolicy.engine.net.Family.V4), count(rs, dev.fwpolicy.engine.net.Family.V6),
                        result.warningsText(), rs.revision());
            }
        }
        out.flush();
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static long count(dev.fwpolicy.engine.ir.RuleSet rs, dev.fwpolicy.engine.net.Family f) {
        return rs.allRules().filter(r -> r.family() == f).count();
    }
}
