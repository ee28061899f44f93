package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.ipset.KernelSet;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.SetPlanner;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile policy files and print the iptables-restore payload (filter table) on stdout.",
            "This is the whole rule set for an empty kernel; 'fwpolicy apply' sends only the difference.",
            "When sets became kernel sets, the ipset restore payload comes first and each section starts",
            "with a '# ---' marker line naming the tool it is for.",
            "Diagnostics go to stderr; on errors nothing is printed on stdout and the exit code is 1."})
public final class CompileCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Option(names = "--family", description = "4 or 6: only the iptables (4) or ip6tables (6) payload. Default: both.")
    Integer family;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}); json lists the kernel sets with their members and every payload.")
    OutputFormat format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (family != null && family != 4 && family != 6) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--family must be 4 or 6, not " + family);
        }
        var result = policy.compile(spec.commandLine().getErr(), PolicyInputs.Report.ALL);
        if (result.ruleSet().isEmpty()) return ExitCodes.FAILED;
        var out = spec.commandLine().getOut();
        var ruleSet = result.ruleSet().get();
        var families = java.util.Arrays.stream(Family.values()).filter(f -> family == null || (family == 4) == (f == Family.V4)).toList();
        // What an empty kernel needs: the same planner that apply uses, against no sets at all.
        var desiredSets = ruleSet.sets().stream().filter(s -> families.contains(s.family()))
                .map(KernelSet::desired).toList();
        String setPayload = new SetPlanner().plan(desiredSets, KernelSets.empty(), java.util.Set.of()).payload();
        if (format == OutputFormat.json) {
            var sets = new io.vertx.core.json.JsonArray();
            ruleSet.sets().stream().filter(s -> families.contains(s.family())).forEach(s -> sets.add(new io.vertx.core.json.JsonObject()
                    .put("setName", s.name()).put("family", s.family().label()).put("policyName", s.policy()).put("declaredAs", s.set())
                    .put("members", new io.vertx.core.json.JsonArray(s.members().stream().map(c -> (Object) c.source()).toList()))
                    .put("follows", s.isDynamic() ? follows(s) : null)));
            var payloads = new io.vertx.core.json.JsonObject();
            if (!setPayload.isEmpty()) payloads.put("ipset", setPayload);
            for (var f : families) payloads.put(f.label(), RestoreRenderer.render(ruleSet, f));
            out.println(new io.vertx.core.json.JsonObject().put("revision", ruleSet.revision()).put("sets", sets)
                    .put("payloads", payloads).encodePrettily());
            out.flush();
            return ExitCodes.OK;
        }
        // Without kernel sets the output stays one plain iptables-restore payload, as before.
        boolean marked = !setPayload.isEmpty();
        if (marked) out.print("# --- ipset restore ---\n" + setPayload);
        for (var f : families) {
            if (marked) out.print("# --- " + (f == Family.V4 ? "iptables" : "ip6tables") + "-restore --noflush (" + f.label() + ") ---\n");
            out.print(RestoreRenderer.render(ruleSet, f));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The dynamic sets a kernel set holds, each with its members of this family and the pod behind each. */
    private static io.vertx.core.json.JsonArray follows(dev.fwpolicy.engine.ir.NetworkSet set) {
        var out = new io.vertx.core.json.JsonArray();
        for (var d : set.dynamic()) {
            var pods = new io.vertx.core.json.JsonArray();
            d.members().stream().filter(m -> m.address().family() == set.family()).forEach(m -> pods.add(new io.vertx.core.json.JsonObject()
                    .put("address", m.address().text()).put("pod", m.pod().map(p -> p.text()).orElse(null))));
            out.add(new io.vertx.core.json.JsonObject().put("declaredAs", d.set()).put("selector", d.source()).put("pods", pods));
        }
        return out;
    }
}
