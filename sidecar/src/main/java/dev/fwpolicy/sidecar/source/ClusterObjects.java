package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.ContainerPort;
import dev.fwpolicy.engine.cluster.Endpoint;
import dev.fwpolicy.engine.cluster.EndpointSlice;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.cluster.PodPhase;
import dev.fwpolicy.engine.cluster.Service;
import dev.fwpolicy.engine.net.Address;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodIP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fabric8's model of Pods, Namespaces, Services and EndpointSlices → the engine's snapshot
 * records: one conversion for cluster-state files and watches alike. A malformed object
 * is an IllegalArgumentException saying which field.
 */
final class ClusterObjects {
    /** The label that ties an EndpointSlice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ClusterObjects() {}

    private static ObjectRef ref(HasMetadata o) {
        var meta = o.getMetadata();
        if (meta == null || meta.getName() == null) throw new IllegalArgumentException("has no metadata.name");
        if (meta.getNamespace() == null) throw new IllegalArgumentException("has no metadata.namespace");
        return new ObjectRef(meta.getNamespace(), meta.getName());
    }

    private static Map<String, String> labels(HasMetadata o) {
        var labels = o.getMetadata() == null ? null : o.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static Pod pod(io.fabric8.kubernetes.api.model.Pod p) {
        var spec = p.getSpec();
        var status = p.getStatus();
        var ips = new ArrayList<Address>();
        if (status != null) {
            List<PodIP> podIPs = status.getPodIPs() == null ? List.of() : status.getPodIPs();
            for (var ip : podIPs) ips.add(address(ip.getIp(), "status.podIPs"));
            // Clusters before dual-stack fill only status.podIP.
            if (ips.isEmpty() && status.getPodIP() != null && !status.getPodIP().isEmpty()) {
                ips.add(address(status.getPodIP(), "status.podIP"));
            }
        }
        boolean hostNetwork = spec != null && Boolean.TRUE.equals(spec.getHostNetwork());
        PodPhase phase = PodPhase.of(status == null ? null : status.getPhase());
        var ports = new ArrayList<ContainerPort>();
        if (spec != null && spec.getContainers() != null) {
            for (var c : spec.getContainers()) {
                if (c.getPorts() == null) continue;
                for (var port : c.getPorts()) {
                    if (port.getContainerPort() == null) throw new IllegalArgumentException("container " + c.getName() + ": a port without containerPort");
                    ports.add(new ContainerPort(Optional.ofNullable(port.getName()), port.getContainerPort(), ClusterStateFiles.protocol(port.getProtocol())));
                }
            }
        }
        return new Pod(ref(p), labels(p), ips, hostNetwork, phase, ports);
    }

    static Namespace namespace(io.fabric8.kubernetes.api.model.Namespace n) {
        if (n.getMetadata() == null || n.getMetadata().getName() == null) throw new IllegalArgumentException("has no metadata.name");
        return new Namespace(n.getMetadata().getName(), labels(n));
    }

    static Service service(io.fabric8.kubernetes.api.model.Service s) {
        var selector = s.getSpec() == null || s.getSpec().getSelector() == null ? Map.<String, String>of() : s.getSpec().getSelector();
        // spec.clusterIPs lists both families of a dual-stack Service; "None" marks a headless one.
        var ips = new ArrayList<Address>();
        var spec = s.getSpec();
        var written = spec == null ? List.<String>of() : spec.getClusterIPs() != null && !spec.getClusterIPs().isEmpty() ? spec.getClusterIPs()
                : spec.getClusterIP() == null ? List.<String>of() : List.of(spec.getClusterIP());
        for (var ip : written) if (!ip.isEmpty() && !ip.equals("None")) ips.add(address(ip, "spec.clusterIPs"));
        return new Service(ref(s), selector, ips);
    }

    /** An FQDN slice names hosts, not addresses: it contributes nothing a set can hold. */
    static Optional<EndpointSlice> slice(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice e) {
        var ref = ref(e);
        String type = e.getAddressType() == null ? "" : e.getAddressType();
        if (type.equals("FQDN")) return Optional.empty();
        if (!type.equals("IPv4") && !type.equals("IPv6")) throw new IllegalArgumentException("addressType '" + type + "' is not IPv4, IPv6 or FQDN");
        var endpoints = new ArrayList<Endpoint>();
        for (var endpoint : e.getEndpoints() == null ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of() : e.getEndpoints()) {
            var addresses = new ArrayList<Address>();
            for (var a : endpoint.getAddresses() == null ? List.<String>of() : endpoint.getAddresses()) addresses.add(address(a, "endpoints[].addresses"));
            var target = endpoint.getTargetRef();
            Optional<ObjectRef> pod = target != null && "Pod".equals(target.getKind()) && target.getName() != null
                    ? Optional.of(new ObjectRef(target.getNamespace() == null ? ref.namespace() : target.getNamespace(), target.getName()))
                    : Optional.empty();
            endpoints.add(new Endpoint(addresses, pod));
        }
        return Optional.of(new EndpointSlice(ref, Optional.ofNullable(labels(e).get(SERVICE_NAME_LABEL)), endpoints));
    }

    private static Address address(String text, String field) {
        return Address.parse(text == null ? "" : text)
                .orElseThrow(() -> new IllegalArgumentException(field + ": '" + text + "' is not an IP address"));
    }

}
