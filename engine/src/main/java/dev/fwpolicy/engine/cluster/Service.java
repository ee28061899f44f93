package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.List;
import java.util.Map;

/**
 * A Service. Its members come from its EndpointSlices, not from its selector: a Service
 * without a selector has hand-made slices, and the slices are what traffic reaches. Its
 * ClusterIPs ({@code spec.clusterIPs}, none for a headless Service) are members too: a pod's
 * connection to the Service leaves the pod addressed to the ClusterIP, which kube-proxy
 * translates to an endpoint only on the node, after the pod's OUTPUT chain has seen it.
 */
public record Service(ObjectRef ref, Map<String, String> selector, List<Address> clusterIPs) {

    public Service {
        selector = Map.copyOf(selector);
        clusterIPs = List.copyOf(clusterIPs);
    }

    /** A Service without a ClusterIP (headless, or not known). */
    public Service(ObjectRef ref, Map<String, String> selector) {
        this(ref, selector, List.of());
    }
}
