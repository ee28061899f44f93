package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.reconcile.ReconcileException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Compile policy files and make the kernel's filter table match them, writing only the difference.",
            "Reads the rules back, diffs them by rule hash, writes the difference in one iptables-restore --noflush",
            "transaction per family, then reads back and verifies.",
            "Rules and chains fwpolicy does not own are never touched. A policy with errors changes nothing,",
            "nor does one that would cut off a --must-pass flow.",
            "Exit 0 when the kernel matches the policy, 1 on policy errors or a failed apply (rules in force stay)."})
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Mixin
    KernelOptions kernel;

    @Mixin
    MustPassOptions mustPass;

    @Option(names = "--dry-run", description = "Show the plan and the exact payloads; write nothing.")
    boolean dryRun;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        var guard = mustPass.guard(spec);
        var result = policy.compile(err, PolicyInputs.Report.ALL);
        if (result.ruleSet().isEmpty()) {
            err.println("fwpolicy apply: policy has errors; nothing applied, the rules in force stay");
            return ExitCodes.FAILED;
        }
        var lockouts = guard.check(result.ruleSet().get());
        if (!lockouts.isEmpty()) {
            err.print(new DiagnosticPrinter(result.sources()).printAll(lockouts));
            err.println("fwpolicy apply: the policy would cut off " + lockouts.size()
                    + " must-pass flow(s); nothing applied, the rules in force stay");
            return ExitCodes.FAILED;
        }
        try {
            var reconciler = kernel.reconciler();
            if (dryRun) {
                var plan = reconciler.plan(result.ruleSet().get());
                if (format == OutputFormat.json) out.println(PlanPrinter.json(plan).put("dryRun", true).encodePrettily());
                else PlanPrinter.text(out, plan, true);
            } else {
                var report = reconciler.sync(result.ruleSet().get());
                if (format == OutputFormat.json) {
                    out.println(PlanPrinter.json(report).encodePrettily());
                } else {
                    out.println("backend: " + PlanPrinter.backendLine(report.backend()));
                    out.println(PlanPrinter.counts(report.wroteNothing() ? "in sync" : "applied", report.counts())
                            + " (" + report.restoreInvocations() + " restore call(s), " + report.payloadLines()
                            + " payload line(s), " + report.duration().toMillis() + " ms)");
                    report.warnings().forEach(w -> out.println("warning: " + w));
                }
            }
            out.flush();
            return ExitCodes.OK;
        } catch (ReconcileException e) {
            err.println("fwpolicy apply: failed; the rules in force are those of the last successful transaction");
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (RuntimeException e) {
            err.println("fwpolicy apply: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
