package dev.fwpolicy.engine.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.ContainerPort;
import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Operator;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.cluster.PodPhase;
import dev.fwpolicy.engine.cluster.Requirement;
import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Severity;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The importer against an independent reading of NetworkPolicy semantics: over generated
 * clusters, policies and flows, the imported .fwpolicy policy (its dynamic sets frozen to
 * the snapshot's members, see {@link StaticMembers}) must allow exactly the new
 * connections the reference allows.
 */
class NetworkPolicyImportProperties {
    private static final List<String> KEYS = List.of("app", "tier", "app.kubernetes.io/name");
    private static final List<String> VALUES = List.of("web", "db", "api");
    private static final List<Protocol> PROTOCOLS = List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP);
    private static final List<Integer> PORTS = List.of(80, 443, 5432, 8080, 9000);

    @Property(tries = 150)
    void importedPolicyAgreesWithTheReference(@ForAll long seed) {
        var r = new Random(seed);
        var cluster = cluster(r);
        var target = cluster.pods().stream().filter(Pod::isMember).filter(p -> p.ref().namespace().equals("shop"))
                .findFirst().orElseThrow();
        var policies = new ArrayList<NetworkPolicy>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) policies.add(policy(r, "np" + i, target));

        var result = NetworkPolicyImporter.translate(policies,
                new ImportOptions(Optional.of(cluster), Optional.of(target.ref()), Optional.empty()));
        var reference = new ReferenceNetworkPolicy(cluster, policies);
        boolean anySelects = policies.stream().anyMatch(p -> p.selects(target.ref(), target.labels()));
        if (!anySelects) {
            assertThat(result.errors()).singleElement().asString().contains("selects pod");
            return;
        }
        assertThat(result.errors()).as("seed %d", seed).isEmpty();
        String text = result.text().orElseThrow();

        // Without a cluster the text as written passes every check but the one that needs members.
        var asWritten = new Compiler().compile(List.of(new SourceFile("imported.fwpolicy", text)));
        assertThat(asWritten.diagnostics()).as(text)
                .allMatch(d -> d.code().equals("no-cluster-state") || d.severity() == Severity.WARNING);

        // Two evaluators must both agree with the reference: the text compiled with the cluster
        // (dynamic sets as kernel sets holding the snapshot's members), and the same text with
        // the members written out by the test's own StaticMembers (expanded like any address set).
        var dynamic = new Compiler().compile(List.of(new SourceFile("imported.fwpolicy", text)), ClusterInput.of(cluster, "shop"));
        assertThat(dynamic.diagnostics()).as(text).noneMatch(d -> d.severity() == Severity.ERROR);
        String frozen = StaticMembers.freeze(text, cluster, "shop");
        var compiled = new Compiler().compile(List.of(new SourceFile("frozen.fwpolicy", frozen)));
        assertThat(compiled.diagnostics()).as(frozen).noneMatch(d -> d.severity() == Severity.ERROR);
        var evaluator = new Evaluator(compiled.ruleSet().orElseThrow());
        var withCluster = new Evaluator(dynamic.ruleSet().orElseThrow());

        var peers = new ArrayList<Address>();
        for (var p : cluster.pods()) peers.addAll(p.podIPs());
        peers.add(ip("10.9.1.1"));
        peers.add(ip("10.9.200.7"));
        peers.add(ip("172.16.0.1"));
        peers.add(ip("fd00:9::1"));
        for (int i = 0; i < 60; i++) {
            var peer = peers.get(r.nextInt(peers.size()));
            var own = target.podIPs().stream().filter(a -> a.family() == peer.family()).findFirst();
            if (own.isEmpty() || peer.equals(own.get())) continue;
            var protocol = PROTOCOLS.get(r.nextInt(PROTOCOLS.size()));
            int port = r.nextBoolean() ? PORTS.get(r.nextInt(PORTS.size())) : 1 + r.nextInt(65535);
            boolean ingress = r.nextBoolean();
            var flow = ingress ? Flow.ports(Direction.INBOUND, protocol, peer, 40000, own.get(), port)
                    : Flow.ports(Direction.OUTBOUND, protocol, own.get(), 40000, peer, port);
            boolean expected = reference.allowed(target, ingress ? PolicyType.INGRESS : PolicyType.EGRESS, peer, protocol, port);
            var decision = evaluator.evaluate(flow);
            assertThat(decision.verdict() == Verdict.ALLOW)
                    .as("seed %d, %s %s %s port %d: reference says %s; imported policy:%n%s%nfrozen:%n%s%n%s", seed,
                            ingress ? "from" : "to", peer, protocol, port, expected ? "allow" : "deny", text, frozen,
                            decision.explain())
                    .isEqualTo(expected);
            var fromCluster = withCluster.evaluate(flow);
            assertThat(fromCluster.verdict() == Verdict.ALLOW)
                    .as("seed %d, %s %s %s port %d with the cluster's members: reference says %s; imported policy:%n%s%n%s", seed,
                            ingress ? "from" : "to", peer, protocol, port, expected ? "allow" : "deny", text, fromCluster.explain())
                    .isEqualTo(expected);
        }
    }

    static Address ip(String text) {
        return Address.parse(text).orElseThrow();
    }

    private static ClusterSnapshot cluster(Random r) {
        var namespaces = List.of(
                new Namespace("shop", Map.of("team", "shop", "kubernetes.io/metadata.name", "shop")),
                new Namespace("monitoring", Map.of("team", "platform", "kubernetes.io/metadata.name", "monitoring")),
                new Namespace("other", r.nextBoolean() ? Map.of("team", "shop") : Map.of()));
        var pods = new ArrayList<Pod>();
        // The target: running, dual-stack, with named container ports.
        pods.add(new Pod(new ObjectRef("shop", "target"), labels(r, true), List.of(ip("10.1.0.1"), ip("fd00:1::1")), false,
                PodPhase.RUNNING, List.of(
                        new ContainerPort(Optional.of("http"), 8080, Protocol.TCP),
                        new ContainerPort(Optional.of("metrics"), 9000, Protocol.TCP),
                        new ContainerPort(Optional.of("dns"), 5353, Protocol.UDP))));
        String[] ns = {"shop", "monitoring", "other"};
        int count = 3 + r.nextInt(6);
        for (int i = 0; i < count; i++) {
            var addresses = new ArrayList<Address>();
            addresses.add(ip("10.1." + (1 + i) + ".1"));
            if (r.nextBoolean()) addresses.add(ip("fd00:1:" + (1 + i) + "::1"));
            boolean host = r.nextInt(8) == 0;
            PodPhase phase = r.nextInt(8) == 0 ? PodPhase.SUCCEEDED : PodPhase.RUNNING;
            if (host) addresses = new ArrayList<>(List.of(ip("192.168.0." + (10 + i))));
            pods.add(new Pod(new ObjectRef(ns[r.nextInt(3)], "p" + i), labels(r, false), addresses, host, phase, List.of()));
        }
        return new ClusterSnapshot(pods, namespaces, List.of(), List.of());
    }

    private static Map<String, String> labels(Random r, boolean target) {
        var m = new HashMap<String, String>();
        for (var k : KEYS) if (r.nextInt(3) > 0 || target && k.equals("app")) m.put(k, VALUES.get(r.nextInt(VALUES.size())));
        return m;
    }

    private static LabelSelector selector(Random r) {
        var reqs = new ArrayList<Requirement>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String key = KEYS.get(r.nextInt(KEYS.size()));
            var op = Operator.values()[r.nextInt(Operator.values().length)];
            var values = List.of(VALUES.get(r.nextInt(VALUES.size())), VALUES.get(r.nextInt(VALUES.size())));
            reqs.add(new Requirement(key, op, op.isSet() ? values : op.isExact() ? values.subList(0, 1) : List.of()));
        }
        return new LabelSelector(reqs);
    }

    private static NetworkPolicy policy(Random r, String name, Pod target) {
        // Mostly policies that select the target, some that do not.
        LabelSelector podSelector = r.nextInt(5) == 0 ? selector(r)
                : new LabelSelector(List.of(new Requirement("app", Operator.IN, List.of(target.labels().get("app")))));
        Optional<java.util.Set<PolicyType>> types = Optional.empty();
        var ingress = new ArrayList<PolicyRule>();
        var egress = new ArrayList<PolicyRule>();
        int in = r.nextInt(3);
        for (int i = 0; i < in; i++) ingress.add(rule(r, true));
        int out = r.nextInt(3);
        for (int i = 0; i < out; i++) egress.add(rule(r, false));
        if (r.nextBoolean()) {
            var declared = EnumSet.noneOf(PolicyType.class);
            if (!ingress.isEmpty() || r.nextBoolean()) declared.add(PolicyType.INGRESS);
            if (!egress.isEmpty() || r.nextBoolean()) declared.add(PolicyType.EGRESS);
            types = Optional.of(declared);
        }
        return new NetworkPolicy(new ObjectRef("shop", name), podSelector, types, ingress, egress);
    }

    private static PolicyRule rule(Random r, boolean ingress) {
        var peers = new ArrayList<Peer>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> peers.add(new Peer.Pods(Optional.of(selector(r)), Optional.empty()));
                case 1 -> peers.add(new Peer.Pods(r.nextBoolean() ? Optional.empty() : Optional.of(selector(r)),
                        Optional.of(selector(r))));
                case 2 -> peers.add(new Peer.IpBlock(Cidr.parseStrict("10.0.0.0/8").orElseThrow(),
                        r.nextBoolean() ? List.of(Cidr.parseStrict("10.9.0.0/16").orElseThrow()) : List.of()));
                default -> peers.add(new Peer.IpBlock(Cidr.parseStrict("fd00::/16").orElseThrow(),
                        r.nextBoolean() ? List.of(Cidr.parseStrict("fd00:9::/32").orElseThrow()) : List.of()));
            }
        }
        var ports = new ArrayList<PolicyPort>();
        int m = r.nextInt(3);
        for (int i = 0; i < m; i++) {
            var protocol = PROTOCOLS.get(r.nextInt(PROTOCOLS.size()));
            switch (r.nextInt(4)) {
                case 0 -> ports.add(new PolicyPort(protocol, Optional.empty(), Optional.empty()));
                case 1 -> {
                    int p = PORTS.get(r.nextInt(PORTS.size()));
                    ports.add(new PolicyPort(protocol, Optional.of(new PortRef.Number(p)),
                            r.nextBoolean() ? Optional.of(p + r.nextInt(100)) : Optional.empty()));
                }
                case 2 -> {
                    // Named ports only inbound, and only names the target has for that protocol.
                    if (ingress) ports.add(r.nextBoolean()
                            ? new PolicyPort(Protocol.TCP, Optional.of(new PortRef.Named(r.nextBoolean() ? "http" : "metrics")), Optional.empty())
                            : new PolicyPort(Protocol.UDP, Optional.of(new PortRef.Named("dns")), Optional.empty()));
                }
                default -> ports.add(new PolicyPort(protocol, Optional.of(new PortRef.Number(1 + r.nextInt(65535))), Optional.empty()));
            }
        }
        return new PolicyRule(peers, ports);
    }
}
