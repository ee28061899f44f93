package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.List;
import java.util.Optional;

/** One endpoint of an EndpointSlice: its addresses and, when it is a pod, which one. */
public record Endpoint(List<Address> addresses, Optional<ObjectRef> pod) {

    public Endpoint {
        addresses = List.copyOf(addresses);
    }
}
