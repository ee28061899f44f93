package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.List;
import java.util.Map;

/** What membership needs of a Pod: identity, labels, {@code status.podIPs}, network mode, phase, ports. */
public record Pod(ObjectRef ref, Map<String, String> labels, List<Address> podIPs, boolean hostNetwork, PodPhase phase,
                  List<ContainerPort> ports) {

    public Pod {
        labels = Map.copyOf(labels);
        podIPs = List.copyOf(podIPs);
        ports = List.copyOf(ports);
    }

    /**
     * Whether the pod's addresses stand for it: it has one, it is not on the node's
     * network (that address is the node's), and it has not finished (its address may be
     * reused by another pod).
     */
    public boolean isMember() {
        return !podIPs.isEmpty() && !hostNetwork && !phase.isFinished();
    }
}
