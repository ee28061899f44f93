package dev.fwpolicy.sidecar.fleet;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.sidecar.source.ConfigMapSource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fwpolicy fleet}: every sidecar's Lease in a namespace, next to the ConfigMap it follows,
 * so one look tells which pods enforce the ConfigMap's current revision, which are behind or in
 * error, which have gone quiet, and how long each took from the change to its kernel.
 *
 * @param namespace  where the Leases were read
 * @param configMaps the ConfigMaps the Leases follow, as they are now (when they could be read)
 * @param pods       one row per Lease, by pod name
 */
public record FleetView(String namespace, List<ConfigMapNow> configMaps, List<Row> pods) {

    /**
     * A ConfigMap as it is now.
     *
     * @param revision the revision its policy keys compile to (also when they have errors)
     */
    public record ConfigMapNow(String reference, Optional<String> resourceVersion, Optional<String> revision,
                               Optional<String> problem) {}

    /**
     * One sidecar.
     *
     * @param current the pod enforces its ConfigMap's current revision (empty: the ConfigMap could not be read)
     * @param stale   the Lease was not renewed in time: the sidecar is gone or stuck, its word may be old
     */
    public record Row(EnforcementLease lease, Optional<Boolean> current, boolean stale) {}

    public FleetView {
        configMaps = List.copyOf(configMaps);
        pods = List.copyOf(pods);
    }

    /** Reads the Leases of {@code namespace} (only those following {@code configMap}, when given) at {@code now}. */
    public static FleetView read(KubernetesClient client, String namespace, Optional<String> configMap, Instant now) {
        var leases = client.resources(Lease.class).inNamespace(namespace)
                .withLabel(EnforcementLease.MANAGED_BY, "fwpolicy").withLabel(EnforcementLease.COMPONENT, EnforcementLease.COMPONENT_VALUE)
                .list().getItems();
        var statuses = new ArrayList<EnforcementLease>();
        for (var lease : leases) {
            EnforcementLease.of(lease).filter(s -> configMap.map(s.configMap()::equals).orElse(true)).ifPresent(statuses::add);
        }
        statuses.sort(Comparator.comparing(EnforcementLease::pod));
        var wanted = new LinkedHashMap<String, ConfigMapNow>();
        configMap.ifPresent(ref -> wanted.put(ref, null));
        statuses.forEach(s -> wanted.putIfAbsent(s.configMap(), null));
        wanted.replaceAll((ref, ignored) -> configMapNow(client, ref));
        var rows = new ArrayList<Row>();
        for (var s : statuses) {
            var cm = wanted.get(s.configMap());
            Optional<Boolean> current = cm.revision().map(r -> s.revision().map(r::equals).orElse(false));
            rows.add(new Row(s, current, s.staleAt(now)));
        }
        return new FleetView(namespace, List.copyOf(wanted.values()), rows);
    }

    private static ConfigMapNow configMapNow(KubernetesClient client, String reference) {
        String[] ref;
        try {
            ref = ConfigMapSource.parseReference(reference);
        } catch (IllegalArgumentException e) {
            return new ConfigMapNow(reference, Optional.empty(), Optional.empty(), Optional.of(e.getMessage()));
        }
        try {
            var cm = client.configMaps().inNamespace(ref[0]).withName(ref[1]).get();
            if (cm == null) return new ConfigMapNow(reference, Optional.empty(), Optional.empty(), Optional.of("does not exist"));
            var files = ConfigMapSource.policyFiles(cm);
            return new ConfigMapNow(reference, Optional.ofNullable(cm.getMetadata().getResourceVersion()),
                    files.isEmpty() ? Optional.empty() : Optional.of(Compiler.revision(files)),
                    files.isEmpty() ? Optional.of("has no policy keys") : Optional.empty());
        } catch (KubernetesClientException e) {
            return new ConfigMapNow(reference, Optional.empty(), Optional.empty(),
                    Optional.of("cannot be read: " + firstLine(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** How many pods are in each state, current, behind and stale. */
    public Map<String, Long> tally() {
        var t = new LinkedHashMap<String, Long>();
        for (var state : EnforcementState.values()) t.put(state.word(), pods.stream().filter(p -> p.lease().state() == state).count());
        t.put("current", pods.stream().filter(p -> p.current().orElse(false)).count());
        t.put("behind", pods.stream().filter(p -> !p.current().orElse(true)).count());
        t.put("stale", pods.stream().filter(Row::stale).count());
        return t;
    }
}
