package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/**
 * {@code service shop/api} (or {@code service api} in the sidecar's own namespace): the
 * addresses of the Service's EndpointSlices. {@code written} is the reference as it
 * stands in the source, quotes included, for {@code fmt}.
 */
public record ServiceSource(Optional<String> namespace, String name, String written, Span span) implements ClusterSource {

    @Override
    public String text() {
        return "service " + written;
    }
}
