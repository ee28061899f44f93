package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Severity;
import dev.fwpolicy.engine.netpol.ImportOptions;
import dev.fwpolicy.engine.netpol.NetworkPolicyImporter;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.source.ClusterStateFiles;
import dev.fwpolicy.sidecar.source.NetworkPolicyFiles;
import dev.fwpolicy.sidecar.source.OwnNamespace;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "networkpolicy", mixinStandardHelpOptions = true,
        description = {"Write the Kubernetes NetworkPolicies in FILES (JSON or YAML) as one .fwpolicy policy on stdout:",
            "their union for the pod the sidecar protects. Selectors become dynamic sets; anything that cannot be",
            "translated exactly is an error, never dropped."})
public final class NetworkPolicyImportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILES", description = "NetworkPolicy files: one object, a List, or several YAML documents.")
    List<Path> files;

    @Option(names = "--cluster-state", paramLabel = "FILE",
            description = "Pods, namespaces, Services, EndpointSlices as 'kubectl get pods,namespaces,services,endpointslices -A -o json' prints them (repeatable): named ports and --pod are looked up here.")
    List<Path> clusterState = List.of();

    @Option(names = "--pod", paramLabel = "NS/NAME",
            description = "Import only the policies selecting this pod (needs --cluster-state for its labels).")
    String pod;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "Namespace of policies without metadata.namespace (default: POD_NAMESPACE, else the service account's, else 'default').")
    String namespace;

    @Option(names = "--name", paramLabel = "NAME", description = "Name of the written policy (default: from the pod or the policy).")
    String name;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Optional<ObjectRef> podRef = Optional.empty();
        if (pod != null) {
            int slash = pod.indexOf('/');
            if (slash <= 0 || slash == pod.length() - 1 || pod.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("--pod wants NAMESPACE/NAME, got '" + pod + "'");
            }
            podRef = Optional.of(new ObjectRef(pod.substring(0, slash), pod.substring(slash + 1)));
        }
        var err = spec.commandLine().getErr();
        Optional<ClusterSnapshot> cluster = clusterState.isEmpty() ? Optional.empty() : Optional.of(ClusterStateFiles.read(clusterState));
        List<dev.fwpolicy.engine.netpol.NetworkPolicy> policies;
        try {
            policies = NetworkPolicyFiles.read(files, OwnNamespace.resolve(Optional.ofNullable(namespace)).name());
        } catch (IllegalArgumentException e) {
            // What the policies say (an unknown field, a bad selector) is the input's problem, like a policy error.
            err.println("error: " + e.getMessage().replace("\n", "\nerror: "));
            err.println("import failed");
            return ExitCodes.FAILED;
        }
        var result = NetworkPolicyImporter.translate(policies, new ImportOptions(cluster, podRef, Optional.ofNullable(name)));
        if (result.text().isEmpty()) {
            result.errors().forEach(e -> err.println("error: " + e));
            err.printf("import failed: %d error(s)%n", result.errors().size());
            return ExitCodes.FAILED;
        }
        String text = result.text().get();
        // The text must read back as the language: anything but members not given here is a bug here, not in the input.
        var check = new Compiler().compile(List.of(new SourceFile("imported.fwpolicy", text)));
        var broken = check.diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR && !d.code().equals("no-cluster-state")).toList();
        if (!broken.isEmpty()) {
            broken.forEach(d -> err.println("internal error: the imported text does not check: " + d.span() + ": " + d.message()));
            return ExitCodes.FAILED;
        }
        var out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return ExitCodes.OK;
    }
}
