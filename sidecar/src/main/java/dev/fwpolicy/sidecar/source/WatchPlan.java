package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.cluster.NamespaceScope;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The informers a policy's dynamic sets need: one per distinct (kind, namespace, selector),
 * each filtered by the API server, none that a wider one already covers.
 *
 * <p>Filtering is sound because membership is decided again from the objects' labels
 * ({@code MemberResolver}): the union of what the informers hold is a superset of what any
 * set selects. A pod selector over namespaces chosen by labels watches pods by their
 * selector in every namespace plus the namespaces by theirs; a namespace the selector does
 * not pick is then missing from the snapshot, which the resolver reads as "not selected".
 */
public record WatchPlan(SortedSet<WatchKey> keys) {
    public static final WatchPlan NONE = new WatchPlan(new TreeSet<>());

    public WatchPlan {
        keys = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(keys));
    }

    public static WatchPlan of(Collection<MemberSource> sources) {
        var wanted = new TreeSet<WatchKey>();
        for (var source : sources) {
            if (source instanceof MemberSource.Pods p) {
                String pods = p.pods().render();
                if (p.scope() instanceof NamespaceScope.Named n) {
                    wanted.add(new WatchKey(WatchKind.PODS, Optional.of(n.name()), pods));
                } else {
                    var namespaces = ((NamespaceScope.Selected) p.scope()).selector();
                    wanted.add(new WatchKey(WatchKind.PODS, Optional.empty(), pods));
                    // An empty namespace selector takes every namespace, listed or not: nothing to watch.
                    if (!namespaces.selectsEverything()) {
                        wanted.add(new WatchKey(WatchKind.NAMESPACES, Optional.empty(), namespaces.render()));
                    }
                }
            } else {
                var service = ((MemberSource.ServiceEndpoints) source).service();
                wanted.add(new WatchKey(WatchKind.ENDPOINTSLICES, Optional.of(service.namespace()),
                        ClusterObjects.SERVICE_NAME_LABEL + "=" + service.name()));
            }
        }
        var all = java.util.List.copyOf(wanted);
        wanted.removeIf(k -> all.stream().anyMatch(k::coveredBy));
        return new WatchPlan(wanted);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
