package dev.fwpolicy.engine.netpol;

import java.util.List;

/**
 * One {@code ingress[]} or {@code egress[]} rule. An empty peer list allows every peer, an
 * empty port list every port and protocol: that is what an absent field means to Kubernetes.
 */
public record PolicyRule(List<Peer> peers, List<PolicyPort> ports) {

    public PolicyRule {
        peers = List.copyOf(peers);
        ports = List.copyOf(ports);
    }
}
