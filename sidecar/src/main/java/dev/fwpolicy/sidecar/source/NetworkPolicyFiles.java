package dev.fwpolicy.sidecar.source;

import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.LabelSyntax;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Operator;
import dev.fwpolicy.engine.cluster.Requirement;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.netpol.NetworkPolicy;
import dev.fwpolicy.engine.netpol.Peer;
import dev.fwpolicy.engine.netpol.PolicyPort;
import dev.fwpolicy.engine.netpol.PolicyRule;
import dev.fwpolicy.engine.netpol.PolicyType;
import dev.fwpolicy.engine.netpol.PortRef;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * NetworkPolicy files (networking.k8s.io/v1; JSON or YAML, one object, a List or several
 * documents) as the engine's records. A field fwpolicy does not know is an error naming
 * it, never ignored: a policy imported without it would allow what its author denied.
 */
public final class NetworkPolicyFiles {
    private NetworkPolicyFiles() {}

    /** {@code defaultNamespace} is where a policy without {@code metadata.namespace} lives, as kubectl would put it. */
    public static List<NetworkPolicy> read(List<Path> files, String defaultNamespace) {
        var out = new ArrayList<NetworkPolicy>();
        var errors = new ArrayList<String>();
        for (var file : files) {
            for (var object : KubernetesFiles.read(file)) {
                String where = file + ": " + KubernetesFiles.describe(object);
                if (!(object instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np)) {
                    errors.add(where + ": not a NetworkPolicy (networking.k8s.io/v1)");
                    continue;
                }
                try {
                    out.add(convert(np, defaultNamespace));
                } catch (IllegalArgumentException e) {
                    errors.add(where + ": " + e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("\n", errors));
        return out;
    }

    static NetworkPolicy convert(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np, String defaultNamespace) {
        var meta = np.getMetadata();
        if (meta == null || meta.getName() == null) throw new IllegalArgumentException("has no metadata.name");
        String namespace = meta.getNamespace() == null ? defaultNamespace : meta.getNamespace();
        var spec = np.getSpec();
        if (spec == null) throw new IllegalArgumentException("has no spec");
        unknown(spec.getAdditionalProperties(), "spec");
        if (spec.getPodSelector() == null) throw new IllegalArgumentException("spec.podSelector is required");
        var podSelector = selector(spec.getPodSelector(), "spec.podSelector");
        Optional<java.util.Set<PolicyType>> types = Optional.empty();
        if (spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
            var set = EnumSet.noneOf(PolicyType.class);
            for (var t : spec.getPolicyTypes()) {
                switch (t) {
                    case "Ingress" -> set.add(PolicyType.INGRESS);
                    case "Egress" -> set.add(PolicyType.EGRESS);
                    default -> throw new IllegalArgumentException("spec.policyTypes: '" + t + "' is not Ingress or Egress");
                }
            }
            types = Optional.of(set);
        }
        var ingress = new ArrayList<PolicyRule>();
        var rules = spec.getIngress() == null ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule>of() : spec.getIngress();
        for (int i = 0; i < rules.size(); i++) {
            var r = rules.get(i);
            String at = "spec.ingress[" + i + "]";
            unknown(r.getAdditionalProperties(), at);
            ingress.add(new PolicyRule(peers(r.getFrom(), at + ".from"), ports(r.getPorts(), at + ".ports")));
        }
        var egress = new ArrayList<PolicyRule>();
        var erules = spec.getEgress() == null ? List.<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule>of() : spec.getEgress();
        for (int i = 0; i < erules.size(); i++) {
            var r = erules.get(i);
            String at = "spec.egress[" + i + "]";
            unknown(r.getAdditionalProperties(), at);
            egress.add(new PolicyRule(peers(r.getTo(), at + ".to"), ports(r.getPorts(), at + ".ports")));
        }
        return new NetworkPolicy(new ObjectRef(namespace, meta.getName()), podSelector, types, ingress, egress);
    }

    private static List<Peer> peers(List<NetworkPolicyPeer> peers, String at) {
        var out = new ArrayList<Peer>();
        if (peers == null) return out;
        for (int i = 0; i < peers.size(); i++) {
            var p = peers.get(i);
            String here = at + "[" + i + "]";
            unknown(p.getAdditionalProperties(), here);
            if (p.getIpBlock() != null) {
                if (p.getPodSelector() != null || p.getNamespaceSelector() != null) {
                    throw new IllegalArgumentException(here + ": ipBlock cannot be combined with a selector");
                }
                var block = p.getIpBlock();
                unknown(block.getAdditionalProperties(), here + ".ipBlock");
                var except = new ArrayList<Cidr>();
                var excepts = block.getExcept() == null ? List.<String>of() : block.getExcept();
                for (int j = 0; j < excepts.size(); j++) except.add(cidr(excepts.get(j), here + ".ipBlock.except[" + j + "]"));
                out.add(new Peer.IpBlock(cidr(block.getCidr(), here + ".ipBlock.cidr"), except));
            } else if (p.getPodSelector() != null || p.getNamespaceSelector() != null) {
                out.add(new Peer.Pods(
                        Optional.ofNullable(p.getPodSelector()).map(s -> selector(s, here + ".podSelector")),
                        Optional.ofNullable(p.getNamespaceSelector()).map(s -> selector(s, here + ".namespaceSelector"))));
            } else {
                throw new IllegalArgumentException(here + ": a peer needs podSelector, namespaceSelector or ipBlock");
            }
        }
        return out;
    }

    private static List<PolicyPort> ports(List<NetworkPolicyPort> ports, String at) {
        var out = new ArrayList<PolicyPort>();
        if (ports == null) return out;
        for (int i = 0; i < ports.size(); i++) {
            var p = ports.get(i);
            String here = at + "[" + i + "]";
            unknown(p.getAdditionalProperties(), here);
            var protocol = ClusterStateFiles.protocol(p.getProtocol());
            Optional<PortRef> port = Optional.ofNullable(p.getPort()).map(NetworkPolicyFiles::portRef);
            out.add(new PolicyPort(protocol, port, Optional.ofNullable(p.getEndPort())));
        }
        return out;
    }

    private static PortRef portRef(IntOrString value) {
        if (value.getIntVal() != null) return new PortRef.Number(value.getIntVal());
        String s = value.getStrVal();
        // YAML may quote a number: "80" still means port 80.
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty() && s.length() < 6) return new PortRef.Number(Integer.parseInt(s));
        return new PortRef.Named(s);
    }

    /** matchLabels and matchExpressions, all of which must hold. */
    static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s, String at) {
        unknown(s.getAdditionalProperties(), at);
        var requirements = new ArrayList<Requirement>();
        if (s.getMatchLabels() != null) {
            for (var e : new TreeMap<>(s.getMatchLabels()).entrySet()) {
                checkKey(e.getKey(), at + ".matchLabels");
                checkValue(e.getValue(), at + ".matchLabels[" + e.getKey() + "]");
                requirements.add(new Requirement(e.getKey(), Operator.EQUALS, List.of(e.getValue())));
            }
        }
        var expressions = s.getMatchExpressions() == null ? List.<io.fabric8.kubernetes.api.model.LabelSelectorRequirement>of() : s.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            var e = expressions.get(i);
            String here = at + ".matchExpressions[" + i + "]";
            unknown(e.getAdditionalProperties(), here);
            checkKey(e.getKey(), here + ".key");
            var values = e.getValues() == null ? List.<String>of() : e.getValues();
            for (var v : values) checkValue(v, here + ".values");
            Operator op = switch (e.getOperator() == null ? "" : e.getOperator()) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "Exists" -> Operator.EXISTS;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> throw new IllegalArgumentException(here + ".operator: '" + e.getOperator()
                        + "' is not In, NotIn, Exists or DoesNotExist");
            };
            if (op.isSet() && values.isEmpty()) throw new IllegalArgumentException(here + ": " + e.getOperator() + " needs values");
            if (!op.isSet() && !values.isEmpty()) throw new IllegalArgumentException(here + ": " + e.getOperator() + " takes no values");
            requirements.add(new Requirement(e.getKey(), op, values));
        }
        return new LabelSelector(requirements);
    }

    private static void checkKey(String key, String at) {
        LabelSyntax.key(key == null ? "" : key).ifPresent(e -> {
            throw new IllegalArgumentException(at + ": bad label key '" + key + "': " + e.message());
        });
    }

    private static void checkValue(String value, String at) {
        LabelSyntax.value(value == null ? "" : value).ifPresent(e -> {
            throw new IllegalArgumentException(at + ": bad label value '" + value + "': " + e.message());
        });
    }

    /** Kubernetes masks host bits of an ipBlock CIDR; so does the import. */
    private static Cidr cidr(String text, String at) {
        if (text == null) throw new IllegalArgumentException(at + " is required");
        int slash = text.indexOf('/');
        var address = Address.parse(slash < 0 ? text : text.substring(0, slash));
        if (slash < 0 || address.isEmpty()) throw new IllegalArgumentException(at + ": '" + text + "' is not a CIDR");
        try {
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > address.get().family().bits()) throw new NumberFormatException();
            return Cidr.networkOf(address.get(), prefix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at + ": '" + text + "' has a bad prefix length");
        }
    }

    private static void unknown(Map<String, Object> additional, String at) {
        if (additional != null && !additional.isEmpty()) {
            throw new IllegalArgumentException(at + ": unsupported field(s) " + new TreeMap<>(additional).keySet());
        }
    }
}
