package dev.fwpolicy.engine.cluster;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: every requirement must hold. No requirement selects every
 * object (Kubernetes' empty selector). Requirements keep the order they were written in,
 * so that {@code fmt} and explanations show the selector as its author wrote it.
 */
public record LabelSelector(List<Requirement> requirements) {
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        for (var r : requirements) {
            if (!r.matches(labels)) return false;
        }
        return true;
    }

    public boolean selectsEverything() {
        return requirements.isEmpty();
    }

    /** The string form {@link SelectorParser#parse} reads back into an equal selector. */
    public String render() {
        return requirements.stream().map(Requirement::render).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return render();
    }
}
