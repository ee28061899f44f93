package dev.fwpolicy.engine.cluster;

import java.util.List;
import java.util.Optional;

/**
 * An EndpointSlice; {@code service} is its {@code kubernetes.io/service-name} label (a
 * slice without it belongs to no Service). FQDN slices hold no addresses and are left out
 * when the snapshot is read.
 */
public record EndpointSlice(ObjectRef ref, Optional<String> service, List<Endpoint> endpoints) {

    public EndpointSlice {
        endpoints = List.copyOf(endpoints);
    }
}
