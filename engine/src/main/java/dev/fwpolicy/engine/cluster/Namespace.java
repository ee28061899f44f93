package dev.fwpolicy.engine.cluster;

import java.util.Map;

/** A namespace and its labels ({@code kubernetes.io/metadata.name} included when the API server set it). */
public record Namespace(String name, Map<String, String> labels) {

    public Namespace {
        labels = Map.copyOf(labels);
    }
}
