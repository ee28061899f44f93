package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.json.DecisionJson;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.eval.FlowSyntaxException;
import dev.fwpolicy.engine.eval.KernelRules;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IpsetDataplane;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Would this packet pass, and which rule decides? Names the deciding rule as file:line:col.",
            "Walks the compiled rule set the way netfilter does and lists every rule consulted.",
            "Example: fwpolicy eval policies/ --flow \"inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443\"",
            "IPv6 endpoints are written [2001:db8::1]:443; ICMP as \"inbound icmp 1.2.3.4 -> 10.0.0.2 type echo-request\";",
            "append 'established' for a packet of an existing connection, 'via lo' for loopback."})
public final class EvalCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILES|DIRS", description = "Policy files, or directories of *.fwpolicy files.")
    List<Path> paths;

    @Option(names = "--flow", required = true, description = "The packet, e.g. \"inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443\". Repeatable.")
    List<String> flows;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--brief", description = "Only the verdict and the deciding rule, no trace.")
    boolean brief;

    @Option(names = "--against", defaultValue = "desired", paramLabel = "desired|kernel",
            description = {"desired: the compiled policy (default). kernel: the rules the kernel holds now in",
                "fwpolicy's chains, read back (iptables-save) and parsed rule by rule, so a rule edited in place",
                "answers as what it now is; differences from the policy are listed first."})
    String against;

    @Mixin
    KernelOptions kernel;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The kernel's rules of the families asked about, as a rule set the evaluator can walk. */
    private KernelRules.ReadBack readKernel(RuleSet desired, java.util.Set<Family> families) {
        CommandRunner runner = new ProcessCommandRunner();
        if (kernel.netns != null) runner = runner.inNetns(kernel.netns);
        var dataplane = IptablesDataplane.open(runner, BackendChoice.parse(kernel.backend));
        var dumps = new java.util.EnumMap<Family, String>(Family.class);
        for (var f : families) dumps.put(f, dataplane.read(f).raw());
        return KernelRules.read(dumps, new IpsetDataplane(runner).read(), desired);
    }

    @Override
    public Integer call() {
        var parsed = new java.util.ArrayList<Flow>();
        for (var text : flows) {
            try {
                parsed.add(Flow.parse(text));
            } catch (FlowSyntaxException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--flow \"" + text + "\": " + e.getMessage());
            }
        }
        var err = spec.commandLine().getErr();
        var result = PolicyInputs.compile(paths, err, PolicyInputs.Report.ERRORS_ONLY);
        if (result.ruleSet().isEmpty()) {
            err.println("eval: the policy does not compile; nothing to evaluate");
            return ExitCodes.FAILED;
        }
        var out = spec.commandLine().getOut();
        var desired = result.ruleSet().get();
        var ruleSet = desired;
        List<KernelRules.Drift> drift = List.of();
        if (against.equals("kernel")) {
            var asked = parsed.stream().map(Flow::family).collect(java.util.stream.Collectors.toCollection(
                    () -> java.util.EnumSet.noneOf(Family.class)));
            var leftOut = java.util.EnumSet.copyOf(asked);
            leftOut.removeAll(kernel.families());
            if (!leftOut.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--against kernel: a flow is "
                        + leftOut.iterator().next().label() + ", which --ip-families leaves out");
            }
            try {
                var back = readKernel(desired, asked);
                ruleSet = back.ruleSet();
                drift = back.drift();
            } catch (RuntimeException e) {
                err.println("fwpolicy eval: cannot read the kernel back: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            if (format == OutputFormat.text) {
                if (drift.isEmpty()) out.println("kernel: fwpolicy's chains hold exactly the policy's rules");
                for (var d : drift) out.println("kernel differs from the policy: " + d.toString().replace("\n", "\n  "));
            }
        } else if (!against.equals("desired")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--against must be desired or kernel, not " + against);
        }
        var evaluator = new Evaluator(ruleSet);
        var array = new JsonArray();
        for (var flow : parsed) {
            var d = brief ? evaluator.decide(flow) : evaluator.evaluate(flow);
            if (format == OutputFormat.json) array.add(DecisionJson.toJson(d));
            else out.print(d.explain());
        }
        if (format == OutputFormat.json) {
            if (against.equals("kernel")) {
                var driftJson = new JsonArray();
                for (var d : drift) {
                    var o = new io.vertx.core.json.JsonObject().put("kind", d.kind().label())
                            .put("family", d.family().label()).put("chain", d.chain());
                    d.id().ifPresent(i -> o.put("id", i));
                    d.desired().ifPresent(x -> o.put("policy", x));
                    d.kernel().ifPresent(x -> o.put("kernel", x));
                    driftJson.add(o);
                }
                out.println(new io.vertx.core.json.JsonObject().put("against", "kernel").put("drift", driftJson)
                        .put("decisions", array).encodePrettily());
            } else {
                out.println(parsed.size() == 1 ? array.getJsonObject(0).encodePrettily() : array.encodePrettily());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
