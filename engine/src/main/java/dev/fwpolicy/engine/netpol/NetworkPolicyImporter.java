package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.cluster.ContainerPort;
import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.MemberResolver;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.cluster.NamespaceScope;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * NetworkPolicies → one .fwpolicy policy, their union, for one pod. Kubernetes' meaning:
 * a direction is isolated (default deny) when some policy of that type selects the pod;
 * then a connection is allowed when any rule of any such policy allows it; replies are
 * always allowed ({@code allow established}). Peers become sets: pod and namespace
 * selectors dynamic sets, {@code ipBlock} the networks left after {@code except}. Anything
 * that cannot be translated exactly is an error naming the policy and the field; nothing
 * is dropped.
 */
public final class NetworkPolicyImporter {
    private static final String DEFAULT_NAME = "networkpolicy";

    private final ImportOptions options;
    private final List<String> errors = new ArrayList<>();
    private final List<String> header = new ArrayList<>();
    private final List<String> sets = new ArrayList<>();
    private final List<String> inbound = new ArrayList<>();
    private final List<String> outbound = new ArrayList<>();
    private int ingressCount;
    private int egressCount;

    private NetworkPolicyImporter(ImportOptions options) {
        this.options = options;
    }

    public static ImportResult translate(List<NetworkPolicy> policies, ImportOptions options) {
        return new NetworkPolicyImporter(options).run(policies);
    }

    private ImportResult run(List<NetworkPolicy> policies) {
        Optional<Pod> pod = Optional.empty();
        if (options.pod().isPresent()) {
            var ref = options.pod().get();
            if (options.cluster().isEmpty()) {
                errors.add("--pod " + ref.text() + " needs --cluster-state: the pod's labels decide which policies select it");
            } else {
                pod = options.cluster().get().pod(ref);
                if (pod.isEmpty()) errors.add("--pod " + ref.text() + ": no such pod in the cluster state");
            }
        }
        if (!errors.isEmpty()) return failed();

        var selecting = new ArrayList<NetworkPolicy>();
        var skipped = new ArrayList<String>();
        for (var p : policies) {
            if (pod.isEmpty() || p.selects(pod.get().ref(), pod.get().labels())) selecting.add(p);
            else skipped.add(p.ref().text());
        }
        if (selecting.isEmpty()) {
            errors.add(pod.map(p -> "no NetworkPolicy given selects pod " + p.ref().text()).orElse("no NetworkPolicy given"));
            return failed();
        }
        header.add("# Imported by 'fwpolicy import networkpolicy' from "
                + selecting.stream().map(p -> p.ref().text()).collect(Collectors.joining(", ")));
        pod.ifPresent(p -> header.add("# for pod " + p.ref().text()));
        if (!skipped.isEmpty()) header.add("# not selecting the pod, so not imported: " + String.join(", ", skipped));

        boolean ingressIsolated = false;
        boolean egressIsolated = false;
        for (var p : selecting) {
            var types = p.types();
            if (!types.contains(PolicyType.INGRESS) && !p.ingress().isEmpty()) {
                errors.add(p.ref().text() + ": has ingress rules but policyTypes lacks Ingress (Kubernetes would ignore them)");
            }
            if (!types.contains(PolicyType.EGRESS) && !p.egress().isEmpty()) {
                errors.add(p.ref().text() + ": has egress rules but policyTypes lacks Egress (Kubernetes would ignore them)");
            }
            ingressIsolated |= types.contains(PolicyType.INGRESS);
            egressIsolated |= types.contains(PolicyType.EGRESS);
        }
        for (var p : selecting) {
            for (int i = 0; i < p.ingress().size(); i++) rule(p, PolicyType.INGRESS, i, p.ingress().get(i), pod);
            for (int i = 0; i < p.egress().size(); i++) rule(p, PolicyType.EGRESS, i, p.egress().get(i), pod);
        }
        if (!errors.isEmpty()) return failed();
        return new ImportResult(Optional.of(canonical(render(policyName(selecting, pod), ingressIsolated, egressIsolated))),
                List.of());
    }

    /** In fmt's layout, which also proves the text reads back as the language. */
    private static String canonical(String text) {
        var diagnostics = new Diagnostics();
        var file = new PolicyParser().parse(new SourceFile("imported.fwpolicy", text), diagnostics)
                .orElseThrow(() -> new IllegalStateException("imported text does not parse: " + diagnostics.sorted() + "\n" + text));
        return Formatter.format(file);
    }

    private ImportResult failed() {
        return new ImportResult(Optional.empty(), errors);
    }

    private void rule(NetworkPolicy policy, PolicyType type, int index, PolicyRule rule, Optional<Pod> pod) {
        boolean ingress = type == PolicyType.INGRESS;
        String where = policy.ref().text() + " " + (ingress ? "ingress" : "egress") + "[" + index + "]";
        int number = ingress ? ++ingressCount : ++egressCount;
        String setName = (ingress ? "from-" : "to-") + number;

        Optional<String> peers = Optional.empty();
        if (!rule.peers().isEmpty()) {
            var members = new ArrayList<String>();
            for (int j = 0; j < rule.peers().size(); j++) {
                var peer = rule.peers().get(j);
                if (peer instanceof Peer.Pods pods) {
                    String dynamicName = setName + "-" + (j + 1);
                    sets.add("set " + dynamicName + " = " + podsSource(policy, pods) + "  # " + where + " peer " + j);
                    members.add("$" + dynamicName);
                } else {
                    var block = (Peer.IpBlock) peer;
                    for (var hole : block.except()) {
                        if (!block.cidr().contains(hole)) {
                            errors.add(where + ": ipBlock except " + hole.source() + " is not inside " + block.cidr().source());
                        }
                    }
                    CidrDifference.minus(block.cidr(), block.except()).forEach(c -> members.add(c.source()));
                }
            }
            if (members.isEmpty()) {
                // Every peer is an ipBlock wholly excepted: the rule allows nothing.
                (ingress ? inbound : outbound).add("# " + where + " allows no address (its ipBlock is wholly excepted)");
                return;
            }
            if (members.size() == 1 && members.get(0).startsWith("$")) {
                peers = Optional.of(members.get(0));
            } else {
                sets.add("set " + setName + " = { " + String.join(", ", members) + " }  # " + where);
                peers = Optional.of("$" + setName);
            }
        }

        var byProtocol = new LinkedHashMap<Protocol, List<PortRange>>();
        var allPorts = new TreeSet<Protocol>();
        for (var port : rule.ports()) {
            if (port.port().isEmpty()) {
                if (port.endPort().isPresent()) errors.add(where + ": endPort without port");
                allPorts.add(port.protocol());
                byProtocol.computeIfAbsent(port.protocol(), k -> new ArrayList<>());
                continue;
            }
            var range = portRange(where, ingress, policy, port, pod);
            range.ifPresent(r -> byProtocol.computeIfAbsent(port.protocol(), k -> new ArrayList<>()).add(r));
        }
        var lines = ingress ? inbound : outbound;
        String note = "  \"" + where + "\"";
        if (rule.ports().isEmpty()) {
            lines.add("allow" + peersClause(ingress, peers, Optional.empty()) + note);
            return;
        }
        for (var entry : byProtocol.entrySet()) {
            Optional<String> ports = allPorts.contains(entry.getKey()) || entry.getValue().isEmpty() ? Optional.empty()
                    : Optional.of(portList(entry.getValue()));
            lines.add("allow " + entry.getKey().keyword() + peersClause(ingress, peers, ports) + note);
        }
    }

    /** {@code from $x [to port P]} inbound; {@code to [$x] [port P]} outbound. */
    private static String peersClause(boolean ingress, Optional<String> peers, Optional<String> ports) {
        var sb = new StringBuilder();
        if (ingress) {
            peers.ifPresent(p -> sb.append(" from ").append(p));
            ports.ifPresent(p -> sb.append(" to port ").append(p));
        } else if (peers.isPresent() || ports.isPresent()) {
            sb.append(" to");
            peers.ifPresent(p -> sb.append(' ').append(p));
            ports.ifPresent(p -> sb.append(" port ").append(p));
        }
        return sb.toString();
    }

    private static String portList(List<PortRange> ranges) {
        var normalized = PortRange.normalize(ranges);
        var texts = normalized.stream().map(r -> r.from() == r.to() ? String.valueOf(r.from()) : r.from() + "-" + r.to()).toList();
        return texts.size() == 1 ? texts.get(0) : "{ " + String.join(", ", texts) + " }";
    }

    private Optional<PortRange> portRange(String where, boolean ingress, NetworkPolicy policy, PolicyPort port, Optional<Pod> pod) {
        int from;
        if (port.port().get() instanceof PortRef.Number n) {
            from = n.value();
        } else {
            String name = ((PortRef.Named) port.port().get()).name();
            if (port.endPort().isPresent()) {
                errors.add(where + ": endPort needs a numeric port, not the named port '" + name + "'");
                return Optional.empty();
            }
            var resolved = namedPort(where, ingress, policy, port.protocol(), name, pod);
            if (resolved.isEmpty()) return Optional.empty();
            from = resolved.get();
        }
        if (from < 1 || from > 65535) {
            errors.add(where + ": port " + from + " is out of range (1-65535)");
            return Optional.empty();
        }
        int to = port.endPort().orElse(from);
        if (to < from || to > 65535) {
            errors.add(where + ": endPort " + to + " must be from " + from + " to 65535");
            return Optional.empty();
        }
        return Optional.of(new PortRange(from, to));
    }

    /**
     * A named port is the selected pod's container port of that name and protocol. In an
     * egress rule it names the destination pods' ports, which may differ per pod: a fixed
     * rule cannot say that, so it is refused rather than guessed.
     */
    private Optional<Integer> namedPort(String where, boolean ingress, NetworkPolicy policy, Protocol protocol, String name,
                                        Optional<Pod> pod) {
        if (!ingress) {
            errors.add(where + ": named port '" + name + "' in an egress rule names the destination pods' ports, which can"
                    + " differ per pod; write the port number");
            return Optional.empty();
        }
        if (options.cluster().isEmpty()) {
            errors.add(where + ": named port '" + name + "' needs --cluster-state to look up the selected pods' container ports");
            return Optional.empty();
        }
        List<Pod> pods = pod.map(List::of).orElseGet(() -> new MemberResolver(options.cluster().get())
                .pods(new MemberSource.Pods(policy.podSelector(), new NamespaceScope.Named(policy.ref().namespace()))));
        var numbers = new TreeSet<Integer>();
        for (var p : pods) {
            for (ContainerPort cp : p.ports()) {
                if (cp.name().equals(Optional.of(name)) && cp.protocol() == protocol) numbers.add(cp.port());
            }
        }
        String whose = pods.stream().map(p -> p.ref().text()).collect(Collectors.joining(", "));
        if (numbers.isEmpty()) {
            errors.add(where + ": named port '" + name + "' (" + protocol.keyword() + ") is not a container port of "
                    + (pods.isEmpty() ? "any selected pod (none selected in the cluster state)" : whose));
            return Optional.empty();
        }
        if (numbers.size() > 1) {
            errors.add(where + ": named port '" + name + "' is " + numbers + " on different selected pods (" + whose
                    + "); import with --pod NS/NAME");
            return Optional.empty();
        }
        return Optional.of(numbers.first());
    }

    /** The peer as a dynamic set source: the policy's own namespace unless a namespace selector says otherwise. */
    static String podsSource(NetworkPolicy policy, Peer.Pods peer) {
        var sb = new StringBuilder("pods");
        peer.pods().filter(s -> !s.selectsEverything()).ifPresent(s -> sb.append(" \"").append(s.render()).append('"'));
        if (peer.namespaces().isPresent()) {
            sb.append(" in namespaces \"").append(peer.namespaces().get().render()).append('"');
        } else {
            sb.append(" in ").append(namespaceWord(policy.ref().namespace()));
        }
        return sb.toString();
    }

    /** A namespace as the language writes it: bare when it lexes as a name, quoted otherwise. */
    private static String namespaceWord(String namespace) {
        boolean bare = namespace.matches("[a-z][a-z0-9-]*") && !KEYWORDS.contains(namespace);
        return bare ? namespace : "\"" + namespace + "\"";
    }

    private static final java.util.Set<String> KEYWORDS = keywords();

    /** The language's reserved words, read from the lexer: a copied list missed each new keyword. */
    private static java.util.Set<String> keywords() {
        var vocabulary = dev.fwpolicy.grammar.FwpolicyLexer.VOCABULARY;
        var out = new java.util.HashSet<String>();
        for (int t = 1; t <= vocabulary.getMaxTokenType(); t++) {
            String literal = vocabulary.getLiteralName(t);
            if (literal != null && literal.matches("'[a-z][a-z0-9-]*'")) out.add(literal.substring(1, literal.length() - 1));
        }
        return java.util.Set.copyOf(out);
    }

    private String policyName(List<NetworkPolicy> selecting, Optional<Pod> pod) {
        if (options.name().isPresent()) return options.name().get();
        String raw = pod.map(p -> p.ref().namespace() + "-" + p.ref().name())
                .orElseGet(() -> selecting.size() == 1 ? selecting.get(0).ref().namespace() + "-" + selecting.get(0).ref().name()
                        : DEFAULT_NAME);
        String cleaned = raw.replaceAll("[^a-zA-Z0-9_-]", "-");
        return Character.isLetter(cleaned.charAt(0)) || cleaned.charAt(0) == '_' ? cleaned : "np-" + cleaned;
    }

    private String render(String name, boolean ingressIsolated, boolean egressIsolated) {
        var sb = new StringBuilder();
        header.forEach(h -> sb.append(h).append('\n'));
        sb.append("policy ").append(name).append(" {\n");
        if (ingressIsolated) sb.append("  default inbound deny\n");
        if (egressIsolated) sb.append("  default outbound deny\n");
        if (!sets.isEmpty()) sb.append('\n');
        sets.forEach(s -> sb.append("  ").append(s).append('\n'));
        block(sb, "inbound", ingressIsolated, inbound);
        block(sb, "outbound", egressIsolated, outbound);
        sb.append("}\n");
        return sb.toString();
    }

    /** An isolated direction allows replies first: NetworkPolicies are stateful. */
    private static void block(StringBuilder sb, String direction, boolean isolated, List<String> lines) {
        if (!isolated) return;
        sb.append('\n').append("  ").append(direction).append(" {\n");
        sb.append("    allow established  \"replies to allowed connections\"\n");
        lines.forEach(l -> sb.append("    ").append(l).append('\n'));
        sb.append("  }\n");
    }
}
