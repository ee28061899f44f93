package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.eval.DecidingRule;
import dev.fwpolicy.engine.reconcile.Drift;
import dev.fwpolicy.engine.reconcile.DriftStatus;
import dev.fwpolicy.sidecar.json.DriftJson;
import dev.fwpolicy.sidecar.json.HitsJson;
import dev.fwpolicy.engine.reconcile.RuleHit;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "state", mixinStandardHelpOptions = true,
        description = {"Show what the kernel holds of the policy now, rule by rule, with drift status and counters.",
            "Every rule of fwpolicy's chains and its jumps with its status (in-sync, missing, duplicate, moved, tampered,",
            "unknown, missing-chain, missing-jump), where it was written (file:line:col, found by its identity) and its",
            "packet and byte counters; other programs' rules in the built-in chains fwpolicy shares are listed as",
            "foreign. The CLI twin of GET /v1/state. Writes nothing.",
            "With --coverage: only the policy's rules no packet has hit, by the kernel's counters (since each rule",
            "was last written or its counters zeroed; GET /v1/coverage counts since the sidecar started).",
            "Exit 0; 1 on policy errors or kernel read-back errors."})
public final class StateCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Mixin
    KernelOptions kernel;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--coverage", description = "List the rules no packet has hit (their kernel counters are zero) instead of every rule.")
    boolean coverage;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var result = policy.compile(err, PolicyInputs.Report.ERRORS_ONLY);
        if (result.ruleSet().isEmpty()) return ExitCodes.FAILED;
        var desired = result.ruleSet().get();
        try {
            var view = kernel.reconciler().inspect(desired, true);
            var out = spec.commandLine().getOut();
            if (coverage) {
                printCoverage(out, desired, view);
            } else if (format == OutputFormat.json) {
                out.println(DriftJson.state(desired.revision(), view).encodePrettily());
            } else {
                out.println("backend: " + PlanPrinter.backendLine(view.plan().backend()));
                out.printf("%-13s %-4s %-22s %4s  %-16s  %-28s %10s %12s  %s%n", "STATUS", "FAM", "CHAIN", "POS", "ID", "SOURCE",
                        "PACKETS", "BYTES", "RULE");
                for (Drift d : view.plan().drift()) {
                    var counters = view.counters(d);
                    out.printf("%-13s %-4s %-22s %4s  %-16s  %-28s %10s %12s  %s%n", d.status().label(), d.family().label(), d.chain(),
                            d.position() == 0 ? "-" : Integer.toString(d.position()), d.id().orElse("-"),
                            d.desired().map(DecidingRule::location).orElse("-"),
                            counters.map(c -> Long.toString(c.packets())).orElse("-"),
                            counters.map(c -> Long.toString(c.bytes())).orElse("-"), d.line());
                }
                for (var s : view.plan().sets().changes()) {
                    out.printf("%-13s %-4s %-22s  set: missing-member %d, extra-member %d%n",
                            s.missingMembers() + s.extraMembers() == 0 ? "in-sync" : "set-drift", "set", s.name(), s.missingMembers(), s.extraMembers());
                }
                var counts = view.plan().countsByStatus();
                var summary = new StringBuilder("summary:");
                for (DriftStatus s : DriftStatus.values()) summary.append(' ').append(s.label()).append(' ').append(counts.get(s)).append(',');
                out.println(summary.substring(0, summary.length() - 1));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (RuntimeException e) {
            err.println("fwpolicy state: cannot read the kernel back: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private void printCoverage(java.io.PrintWriter out, dev.fwpolicy.engine.ir.RuleSet desired, dev.fwpolicy.engine.reconcile.KernelView view) {
        var counters = new java.util.HashMap<String, dev.fwpolicy.engine.iptables.Counters>();
        RuleHit.of(desired, view).forEach(h -> counters.put(h.rule().id(), h.counters()));
        var rules = desired.allRules().filter(HitsJson::counted).toList();
        var unhit = rules.stream().filter(r -> counters.getOrDefault(r.id(), dev.fwpolicy.engine.iptables.Counters.ZERO).packets() == 0).toList();
        if (format == OutputFormat.json) {
            out.println(HitsJson.coverage(desired.revision(), rules, unhit,
                    r -> counters.getOrDefault(r.id(), dev.fwpolicy.engine.iptables.Counters.ZERO)).encodePrettily());
            return;
        }
        out.println("backend: " + PlanPrinter.backendLine(view.plan().backend()));
        out.printf("%-16s  %-4s %-22s  %-28s  %s%n", "ID", "FAM", "CHAIN", "SOURCE", "STATEMENT");
        for (var r : unhit) {
            out.printf("%-16s  %-4s %-22s  %-28s  %s%n", r.id(), r.family().label(), r.chain(),
                    DecidingRule.location(r), r.origin().text());
        }
        out.printf("coverage: %d of %d rule(s) hit, %d never hit (kernel counters: since each rule was written or zeroed)%n",
                rules.size() - unhit.size(), rules.size(), unhit.size());
    }
}
