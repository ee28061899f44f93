package dev.fwpolicy.engine.cluster;

import java.util.List;
import java.util.Optional;

/** The cluster as one moment saw it: everything membership is computed from. */
public record ClusterSnapshot(List<Pod> pods, List<Namespace> namespaces, List<Service> services,
                              List<EndpointSlice> endpointSlices) {
    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of(), List.of(), List.of(), List.of());

    public ClusterSnapshot {
        pods = List.copyOf(pods);
        namespaces = List.copyOf(namespaces);
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
    }

    public Optional<Pod> pod(ObjectRef ref) {
        return pods.stream().filter(p -> p.ref().equals(ref)).findFirst();
    }

    public Optional<Namespace> namespace(String name) {
        return namespaces.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Several snapshots (several {@code --cluster-state} files) as one; later files do not replace earlier objects. */
    public ClusterSnapshot plus(ClusterSnapshot other) {
        return new ClusterSnapshot(concat(pods, other.pods), concat(namespaces, other.namespaces),
                concat(services, other.services), concat(endpointSlices, other.endpointSlices));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
