package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.sidecar.source.ClusterStateFiles;
import dev.fwpolicy.sidecar.source.OwnNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the members of dynamic sets come from on the command line (picocli mixin, part of
 * {@link CompileOptions}): {@code --cluster-state FILE} snapshots and the own namespace.
 */
public final class ClusterOptions {
    @Option(names = "--cluster-state", paramLabel = "FILE",
            description = {"Members of dynamic sets (pods \"...\", service ...): Pods, Namespaces, Services and EndpointSlices",
                "as 'kubectl get pods,namespaces,services,endpointslices -A -o json' (or -o yaml) prints them. Repeatable."})
    List<Path> clusterState = new ArrayList<>();

    @Option(names = "--namespace", paramLabel = "NS",
            description = {"The own namespace, for pods \"...\" and service NAME written without one",
                "(default: POD_NAMESPACE, else the service account's namespace file, else 'default')."})
    String namespace;

    /**
     * The cluster the policy compiles against. Without {@code --cluster-state} members are
     * unknown: an error where a rule needs them, unless {@code membersOptional} ({@code check}).
     * A file that cannot be read as a cluster state is an {@link IllegalArgumentException}
     * naming it (exit 1, nothing compiled).
     */
    public ClusterInput input(boolean membersOptional) {
        String own = OwnNamespace.resolve(Optional.ofNullable(namespace)).name();
        if (clusterState.isEmpty()) return new ClusterInput(Optional.empty(), own, membersOptional);
        return ClusterInput.of(ClusterStateFiles.read(clusterState), own);
    }
}
