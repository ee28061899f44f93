package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NetworkPolicy semantics written straight from the Kubernetes documentation, sharing
 * nothing with the importer but the records: would a new connection to or from {@code pod}
 * be allowed? It knows nothing of sets, rules or fwpolicy.
 */
final class ReferenceNetworkPolicy {
    private final ClusterSnapshot cluster;
    private final List<NetworkPolicy> policies;

    ReferenceNetworkPolicy(ClusterSnapshot cluster, List<NetworkPolicy> policies) {
        this.cluster = cluster;
        this.policies = policies;
    }

    /** {@code peer} is the other end: the source of an ingress connection, the destination of an egress one. */
    boolean allowed(Pod pod, PolicyType direction, Address peer, Protocol protocol, int port) {
        boolean isolated = false;
        for (var p : policies) {
            if (!p.ref().namespace().equals(pod.ref().namespace()) || !p.podSelector().matches(pod.labels())) continue;
            if (!p.types().contains(direction)) continue;
            isolated = true;
            var rules = direction == PolicyType.INGRESS ? p.ingress() : p.egress();
            for (var rule : rules) {
                if (peerMatches(p, rule, peer) && portMatches(pod, rule, protocol, port)) return true;
            }
        }
        return !isolated;
    }

    private boolean peerMatches(NetworkPolicy policy, PolicyRule rule, Address address) {
        if (rule.peers().isEmpty()) return true;
        for (var peer : rule.peers()) {
            if (peer instanceof Peer.IpBlock b) {
                if (b.cidr().contains(address) && b.except().stream().noneMatch(e -> e.contains(address))) return true;
                continue;
            }
            var pods = (Peer.Pods) peer;
            for (var other : cluster.pods()) {
                if (!other.podIPs().contains(address)) continue;
                // Pods on the node's network or finished have no address of their own.
                if (other.hostNetwork() || other.phase().isFinished()) continue;
                boolean namespaceOk = pods.namespaces().isEmpty()
                        ? other.ref().namespace().equals(policy.ref().namespace())
                        : pods.namespaces().get().matches(labelsOf(other.ref().namespace()));
                boolean labelsOk = pods.pods().map(s -> s.matches(other.labels())).orElse(true);
                if (namespaceOk && labelsOk) return true;
            }
        }
        return false;
    }

    private Map<String, String> labelsOf(String namespace) {
        return cluster.namespaces().stream().filter(n -> n.name().equals(namespace)).findFirst()
                .map(Namespace::labels).orElse(Map.of());
    }

    private static boolean portMatches(Pod pod, PolicyRule rule, Protocol protocol, int port) {
        if (rule.ports().isEmpty()) return true;
        for (var p : rule.ports()) {
            if (p.protocol() != protocol) continue;
            if (p.port().isEmpty()) return true;
            Optional<Integer> number = p.port().get() instanceof PortRef.Number n ? Optional.of(n.value())
                    : pod.ports().stream().filter(c -> c.name().equals(Optional.of(((PortRef.Named) p.port().get()).name()))
                            && c.protocol() == protocol).map(c -> c.port()).findFirst();
            if (number.isEmpty()) continue;
            int end = p.endPort().orElse(number.get());
            if (port >= number.get() && port <= end) return true;
        }
        return false;
    }
}
