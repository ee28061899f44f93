package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The addresses a dynamic set holds in one snapshot, both families, sorted, each once and
 * with the pod behind it. A pod counts only while {@link Pod#isMember()}. An address two
 * objects claim keeps the first pod in snapshot order; an endpoint's address keeps the
 * pod it names. A Service's members are its ClusterIPs and its EndpointSlices' endpoints.
 */
public final class MemberResolver {
    private static final Comparator<Address> ADDRESS_ORDER = Comparator.comparing(Address::family)
            .thenComparing(Address::hi, Long::compareUnsigned).thenComparing(Address::lo, Long::compareUnsigned);

    private final ClusterSnapshot snapshot;
    private final Map<String, Namespace> namespaces = new HashMap<>();

    public MemberResolver(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
        for (var ns : snapshot.namespaces()) namespaces.putIfAbsent(ns.name(), ns);
    }

    public List<Member> members(MemberSource source) {
        var byAddress = new LinkedHashMap<Address, Member>();
        if (source instanceof MemberSource.Pods p) {
            for (var pod : snapshot.pods()) {
                if (!pod.isMember() || !inScope(pod.ref().namespace(), p.scope()) || !p.pods().matches(pod.labels())) continue;
                for (var ip : pod.podIPs()) byAddress.putIfAbsent(ip, new Member(ip, Optional.of(pod.ref())));
            }
        } else {
            var service = ((MemberSource.ServiceEndpoints) source).service();
            for (var svc : snapshot.services()) {
                if (!svc.ref().equals(service)) continue;
                for (var ip : svc.clusterIPs()) byAddress.putIfAbsent(ip, Member.clusterIP(ip, service));
            }
            for (var slice : snapshot.endpointSlices()) {
                if (!slice.ref().namespace().equals(service.namespace())
                        || !slice.service().equals(Optional.of(service.name()))) continue;
                for (var endpoint : slice.endpoints()) {
                    for (var ip : endpoint.addresses()) byAddress.putIfAbsent(ip, new Member(ip, endpoint.pod()));
                }
            }
        }
        var out = new ArrayList<>(byAddress.values());
        out.sort(Comparator.comparing(Member::address, ADDRESS_ORDER));
        return out;
    }

    /** The pods {@code source} selects that are members, in snapshot order (for named ports and explanations). */
    public List<Pod> pods(MemberSource.Pods source) {
        return snapshot.pods().stream()
                .filter(Pod::isMember)
                .filter(pod -> inScope(pod.ref().namespace(), source.scope()) && source.pods().matches(pod.labels()))
                .toList();
    }

    private boolean inScope(String namespace, NamespaceScope scope) {
        if (scope instanceof NamespaceScope.Named n) return n.name().equals(namespace);
        var selector = ((NamespaceScope.Selected) scope).selector();
        // A namespace the snapshot does not list has no labels to match; only an empty selector takes it.
        var ns = namespaces.get(namespace);
        return ns != null ? selector.matches(ns.labels()) : selector.selectsEverything();
    }
}
