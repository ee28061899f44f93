package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.source.PolicyInputs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compile policy files, read the kernel's filter table back, and show what 'apply' would change.",
            "Writes nothing. Each line: what a sync does (+ add, - remove, > move, ~ repair, +:/-: chain created/deleted)",
            "and the drift status that makes it (missing, missing-jump, missing-chain, duplicate, unknown, moved, tampered).",
            "Exit 0 (or 1 with --exit-code when changes are pending); 1 on policy errors or kernel read-back errors."})
public final class DiffCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Mixin
    KernelOptions kernel;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--payload", description = "Also print the exact iptables-restore payloads (text format).")
    boolean payload;

    @Option(names = "--exit-code", description = "Exit 1 when the kernel differs from the policy.")
    boolean exitCode;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var result = policy.compile(err, PolicyInputs.Report.ALL);
        if (result.ruleSet().isEmpty()) return ExitCodes.FAILED;
        try {
            var plan = kernel.reconciler().plan(result.ruleSet().get());
            var out = spec.commandLine().getOut();
            if (format == OutputFormat.json) out.println(PlanPrinter.json(plan).encodePrettily());
            else PlanPrinter.text(out, plan, payload);
            out.flush();
            return exitCode && !plan.isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
        } catch (RuntimeException e) {
            err.println("fwpolicy diff: cannot read the kernel back: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
