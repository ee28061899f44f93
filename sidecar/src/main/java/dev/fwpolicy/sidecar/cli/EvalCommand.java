package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.Compiler;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.eval.FlowSyntaxException;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Would this packet pass, and which rule decides? Walks the compiled rule set the way",
            "netfilter does and names the deciding rule as file:line:col, with every rule consulted.",
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

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
        var sources = PolicyInputs.read(paths);
        var result = new Compiler().compile(sources);
        var err = spec.commandLine().getErr();
        err.print(new DiagnosticPrinter(sources).printAll(result.diagnostics().stream().filter(d -> d.isError()).toList()));
        if (result.ruleSet().isEmpty()) {
            err.println("eval: the policy does not compile; nothing to evaluate");
            return ExitCodes.FAILED;
        }
        var evaluator = new Evaluator(result.ruleSet().get());
        var out = spec.commandLine().getOut();
        var array = new JsonArray();
        for (var flow : parsed) {
            var d = brief ? evaluator.decide(flow) : evaluator.evaluate(flow);
            if (format == OutputFormat.json) array.add(DecisionJson.toJson(d));
            else out.print(d.explain());
        }
        if (format == OutputFormat.json) out.println(parsed.size() == 1 ? array.getJsonObject(0).encodePrettily() : array.encodePrettily());
        out.flush();
        return ExitCodes.OK;
    }
}
