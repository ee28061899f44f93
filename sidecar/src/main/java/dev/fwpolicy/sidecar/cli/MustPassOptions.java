package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.eval.LockoutGuard;
import dev.fwpolicy.engine.eval.MustPassFlow;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --must-pass FLOW} for the commands that decide whether a policy may be put in force (picocli mixin). */
public final class MustPassOptions {
    @Option(names = "--must-pass", paramLabel = "FLOW",
            description = {"A flow the policy must allow, in eval --flow's words (repeatable), e.g.",
                "\"inbound tcp from 10.0.0.0 to port 22\" or \"outbound tcp to 10.96.0.1 port 443\". A policy that denies it,",
                "or denies its replies, is refused with a 'lockout' error naming the deciding rule."})
    List<String> flows = new ArrayList<>();

    /** The guard for the flows given; a flow that is not a possible packet is a usage error (exit 2). */
    public LockoutGuard guard(CommandSpec spec) {
        var read = new ArrayList<MustPassFlow>();
        for (var text : flows) {
            var diagnostics = new Diagnostics();
            var flow = MustPassFlow.read("--must-pass", text, diagnostics);
            if (flow.isEmpty()) {
                var lines = new StringBuilder("--must-pass \"" + text + "\":");
                diagnostics.sorted().forEach(d -> lines.append("\n").append(d.headline()));
                throw new ParameterException(spec.commandLine(), lines.toString());
            }
            read.add(flow.get());
        }
        return new LockoutGuard(read);
    }
}
