package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.EndpointSlice;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.cluster.Service;
import dev.fwpolicy.engine.net.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --cluster-state FILE}: what {@code kubectl get pods,namespaces,services,endpointslices
 * -A -o json} (or {@code -o yaml}) prints, as the engine's snapshot. Other kinds and
 * malformed addresses are errors naming the object: a snapshot read wrongly would
 * silently change who a set admits.
 */
public final class ClusterStateFiles {
    private ClusterStateFiles() {}

    public static ClusterSnapshot read(List<Path> files) {
        var snapshot = ClusterSnapshot.EMPTY;
        for (var f : files) snapshot = snapshot.plus(read(f));
        return snapshot;
    }

    public static ClusterSnapshot read(Path file) {
        var pods = new ArrayList<Pod>();
        var namespaces = new ArrayList<Namespace>();
        var services = new ArrayList<Service>();
        var slices = new ArrayList<EndpointSlice>();
        var errors = new ArrayList<String>();
        for (var object : KubernetesFiles.read(file)) {
            try {
                if (object instanceof io.fabric8.kubernetes.api.model.Pod p) pods.add(ClusterObjects.pod(p));
                else if (object instanceof io.fabric8.kubernetes.api.model.Namespace n) namespaces.add(ClusterObjects.namespace(n));
                else if (object instanceof io.fabric8.kubernetes.api.model.Service s) services.add(ClusterObjects.service(s));
                else if (object instanceof io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice e) ClusterObjects.slice(e).ifPresent(slices::add);
                else errors.add(KubernetesFiles.describe(object) + ": a cluster state holds Pods, Namespaces, Services and"
                            + " EndpointSlices (discovery.k8s.io/v1) only");
            } catch (IllegalArgumentException e) {
                errors.add(KubernetesFiles.describe(object) + ": " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(file + ": " + String.join("\n" + file + ": ", errors));
        return new ClusterSnapshot(pods, namespaces, services, slices);
    }

    static Protocol protocol(String text) {
        String p = text == null ? "TCP" : text.toUpperCase(Locale.ROOT);
        return switch (p) {
            case "TCP" -> Protocol.TCP;
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> throw new IllegalArgumentException("protocol '" + text + "' is not TCP, UDP or SCTP");
        };
    }
}
