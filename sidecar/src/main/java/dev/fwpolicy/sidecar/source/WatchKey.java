package dev.fwpolicy.sidecar.source;

import java.util.Comparator;
import java.util.Optional;

/**
 * What one informer lists and watches: one kind, in one namespace or in all, filtered by the
 * API server with a label selector (empty: every object). Equal keys share one informer.
 */
public record WatchKey(WatchKind kind, Optional<String> namespace, String labelSelector) implements Comparable<WatchKey> {
    private static final Comparator<WatchKey> ORDER = Comparator.comparing(WatchKey::kind)
            .thenComparing(k -> k.namespace().orElse(""))
            .thenComparing(WatchKey::labelSelector);

    /** Whether every object this key selects is also selected by {@code wider}, so this informer is not needed. */
    boolean coveredBy(WatchKey wider) {
        return !equals(wider) && kind == wider.kind
                && (wider.namespace.isEmpty() || wider.namespace.equals(namespace))
                && (wider.labelSelector.isEmpty() || wider.labelSelector.equals(labelSelector));
    }

    /** {@code pods in shop where app=frontend}: how logs and /v1/status name the watch. */
    public String describe() {
        return kind.resource() + namespace.map(n -> " in " + n).orElse(kind == WatchKind.NAMESPACES ? "" : " in all namespaces")
                + (labelSelector.isEmpty() ? "" : " where " + labelSelector);
    }

    @Override
    public int compareTo(WatchKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return describe();
    }
}
