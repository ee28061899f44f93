package dev.fwpolicy.engine.cluster;

import java.util.Map;

/**
 * A Service. Its members come from its EndpointSlices, not from its selector: a Service
 * without a selector has hand-made slices, and the slices are what traffic reaches.
 */
public record Service(ObjectRef ref, Map<String, String> selector) {

    public Service {
        selector = Map.copyOf(selector);
    }
}
