package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.sidecar.json.DecisionJson;
import dev.fwpolicy.sidecar.source.PolicyInputs;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.eval.KernelModel;
import dev.fwpolicy.sidecar.json.DriftJson;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Would this packet pass, and which rule decides? Names the deciding rule as file:line:col.",
            "Walks the compiled rule set the way netfilter does and lists every rule consulted.",
            "Example: fwpolicy eval policies/ --flow \"inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443\"",
            "or in the words of an expect line: \"inbound tcp from 192.168.10.7 port 40000 to 10.0.0.2 port 443\".",
            "IPv6 endpoints are written [2001:db8::1]:443; ICMP as \"inbound icmp 1.2.3.4 -> 10.0.0.2 type echo-request\"",
            "(icmpv6 for IPv6); append 'established' for a packet of an existing connection, 'via lo' for loopback."})
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    PolicyArgs policy;

    @Option(names = "--flow", required = true, description = "The packet, e.g. \"inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443\". Repeatable.")
    List<String> flows;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--brief", description = "Only the verdict and the deciding rule, no trace.")
    boolean brief;

    @Option(names = "--against", defaultValue = "desired", paramLabel = "desired|kernel",
            description = {"desired: the compiled policy (default). kernel: the rules the kernel holds now in",
                "fwpolicy's chains, read back once (iptables-save), classified like diff and parsed rule by rule, so a",
                "rule edited in place answers as what it now is; the drift is listed first. Exit 1 when part of",
                "fwpolicy's chains cannot be modelled (no verdict would be certain)."})
    String against;

    @Mixin
    KernelOptions kernel;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var parsed = new java.util.ArrayList<Flow>();
        for (var text : flows) {
            // The one flow validator, as for expect lines: diagnostics located at columns of the text.
            var diagnostics = new Diagnostics();
            parsed.addAll(Flow.read("--flow", text, diagnostics));
            if (diagnostics.hasErrors()) {
                var lines = new StringBuilder("--flow \"" + text + "\":");
                diagnostics.sorted().forEach(d -> lines.append("\n").append(d.headline()));
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), lines.toString());
            }
        }
        var err = spec.commandLine().getErr();
        var result = policy.compile(err, PolicyInputs.Report.ERRORS_ONLY);
        if (result.ruleSet().isEmpty()) {
            err.println("eval: the policy does not compile; nothing to evaluate");
            return ExitCodes.FAILED;
        }
        var out = spec.commandLine().getOut();
        var desired = result.ruleSet().get();
        var ruleSet = desired;
        java.util.Optional<KernelModel> kernelModel = java.util.Optional.empty();
        if (against.equals("kernel")) {
            var asked = parsed.stream().map(Flow::family).collect(java.util.stream.Collectors.toCollection(
                    () -> java.util.EnumSet.noneOf(Family.class)));
            var leftOut = java.util.EnumSet.copyOf(asked);
            leftOut.removeAll(kernel.families());
            if (!leftOut.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--against kernel: a flow is "
                        + leftOut.iterator().next().label() + ", which --ip-families leaves out");
            }
            KernelModel model;
            try {
                // The one kernel model: each asked family read back once, classified by the reconciler.
                model = KernelModel.of(kernel.reconciler().inspect(desired, false), asked);
            } catch (RuntimeException e) {
                err.println("fwpolicy eval: cannot read the kernel back: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            kernelModel = java.util.Optional.of(model);
            if (format == OutputFormat.text) {
                if (model.drift().isEmpty()) out.println("kernel: fwpolicy's chains hold exactly the policy's rules");
                for (var s : model.setDrift()) {
                    out.println("kernel set differs from the policy: " + s.name() + " missing-member " + s.missingMembers()
                            + ", extra-member " + s.extraMembers() + " (rules matching it are evaluated with the kernel's members)");
                }
                for (var d : model.drift()) {
                    out.println("kernel differs from the policy: " + d.status().label() + " " + d.family().label() + " "
                            + d.chain() + d.id().map(i -> " " + i).orElse("")
                            + d.desired().map(r -> "\n    policy: " + RuleSpecs.saveLine(r)).orElse("")
                            + d.kernel().map(k -> "\n    kernel: " + k.saveLine()).orElse(""));
                }
            }
            if (!model.unmodelled().isEmpty()) {
                err.println("fwpolicy eval: fwpolicy's chains hold rules the model cannot read, so no verdict about the kernel is certain:");
                model.unmodelled().forEach(u -> err.println("  " + u));
                if (format == OutputFormat.json) out.println(kernelJson(model, new JsonArray()).encodePrettily());
                out.flush();
                return ExitCodes.FAILED;
            }
            ruleSet = model.ruleSet();
        } else if (!against.equals("desired")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--against must be desired or kernel, not " + against);
        }
        var evaluator = kernelModel.map(KernelModel::evaluator).orElseGet(() -> new Evaluator(desired));
        var array = new JsonArray();
        for (var flow : parsed) {
            var d = brief ? evaluator.decide(flow) : evaluator.evaluate(flow);
            if (format == OutputFormat.json) array.add(DecisionJson.toJson(d));
            else out.print(d.explain());
        }
        if (format == OutputFormat.json) {
            if (kernelModel.isPresent()) {
                out.println(kernelJson(kernelModel.get(), array).encodePrettily());
            } else {
                out.println(parsed.size() == 1 ? array.getJsonObject(0).encodePrettily() : array.encodePrettily());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code {against, drift, unmodelled, decisions}}: the same drift shape as diff, state and the HTTP API. */
    private static io.vertx.core.json.JsonObject kernelJson(KernelModel model, JsonArray decisions) {
        var drift = new JsonArray();
        model.drift().forEach(d -> drift.add(DriftJson.of(d)));
        var sets = new JsonArray();
        model.setDrift().forEach(s -> sets.add(new io.vertx.core.json.JsonObject().put("setName", s.name())
                .put("missingMembers", s.missingMembers()).put("extraMembers", s.extraMembers())));
        return new io.vertx.core.json.JsonObject().put("against", "kernel").put("drift", drift).put("setDrift", sets)
                .put("unmodelled", new JsonArray(model.unmodelled())).put("decisions", decisions);
    }
}
