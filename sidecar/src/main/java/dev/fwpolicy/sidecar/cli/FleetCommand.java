package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.sidecar.fleet.FleetView;
import dev.fwpolicy.sidecar.json.FleetJson;
import dev.fwpolicy.sidecar.source.ConfigMapSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Which pods enforce which policy revision: every fwpolicy sidecar's Lease in a namespace.",
            "Each sidecar in ConfigMap mode keeps a Lease fwpolicy-<pod> saying the revision in its kernel, its state",
            "(in-sync, drift, error), the ConfigMap resourceVersion it came from and when it reached the kernel.",
            "Lists pods x revision x state x time from the ConfigMap change to enforcement, marks pods behind the",
            "ConfigMap's current revision and stale Leases (not renewed: the sidecar is gone or stuck).",
            "Exit 0 when every listed pod is in sync on the current revision, 1 otherwise, 2 when the API server cannot be read."})
public final class FleetCommand implements Callable<Integer> {
    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of the Leases (default: the --configmap's, else the kubeconfig's).")
    String namespace;

    @Option(names = "--configmap", paramLabel = "NS/NAME", description = "Only the sidecars following this ConfigMap.")
    String configMap;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the pod's service account).")
    Path kubeconfig;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var ref = Optional.ofNullable(configMap);
        if (ref.isPresent()) {
            try {
                ConfigMapSource.parseReference(ref.get());
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        var config = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
        String ns = namespace != null ? namespace
                : ref.map(r -> ConfigMapSource.parseReference(r)[0]).orElse(config.getNamespace() != null ? config.getNamespace() : "default");
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        FleetView view;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            view = FleetView.read(client, ns, ref, Instant.now());
        } catch (KubernetesClientException e) {
            err.println("fwpolicy fleet: cannot read the Leases in " + ns + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (format == OutputFormat.json) {
            out.println(FleetJson.toJson(view).encodePrettily());
        } else {
            text(out, view);
        }
        out.flush();
        boolean allGood = view.pods().stream().allMatch(p -> !p.stale() && p.current().orElse(false)
                && p.lease().state() == dev.fwpolicy.sidecar.fleet.EnforcementState.IN_SYNC);
        return allGood ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static void text(java.io.PrintWriter out, FleetView view) {
        for (var cm : view.configMaps()) {
            out.println("configmap " + cm.reference() + ": " + cm.problem().orElseGet(() -> "resourceVersion "
                    + cm.resourceVersion().orElse("?") + ", revision " + cm.revision().orElse("?")));
        }
        if (view.pods().isEmpty()) {
            out.println("no fwpolicy Leases in namespace " + view.namespace());
            return;
        }
        String format = "%-30s %-13s %-8s %-8s %-12s %-16s %s%n";
        out.printf(format, "POD", "REVISION", "STATE", "CURRENT", "CONFIGMAP-RV", "CHANGE→ENFORCED", "ENFORCED AT");
        for (var row : view.pods()) {
            var l = row.lease();
            out.printf(format, l.pod(), l.revision().orElse("-"), l.state().word(),
                    row.stale() ? "stale" : row.current().map(c -> c ? "yes" : "behind").orElse("?"),
                    l.resourceVersion().orElse("-"), l.changeToEnforced().map(FleetCommand::millis).orElse("-"),
                    l.enforcedAt().map(Instant::toString).orElse("-"));
            l.error().ifPresent(e -> out.println("    " + e.lines().findFirst().orElse("")));
        }
        var t = view.tally();
        out.printf(Locale.ROOT, "%d pod(s): %d in-sync, %d drift, %d error; %d on the current revision, %d behind; %d stale%n",
                view.pods().size(), t.get("in-sync"), t.get("drift"), t.get("error"), t.get("current"), t.get("behind"), t.get("stale"));
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
