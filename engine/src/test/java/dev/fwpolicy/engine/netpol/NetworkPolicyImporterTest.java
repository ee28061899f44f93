package dev.fwpolicy.engine.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.ContainerPort;
import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.cluster.Namespace;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.cluster.PodPhase;
import dev.fwpolicy.engine.cluster.SelectorParser;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkPolicyImporterTest {
    static LabelSelector sel(String s) {
        return SelectorParser.parseValid(s).orElseThrow();
    }

    static Cidr cidr(String s) {
        return Cidr.parseStrict(s).orElseThrow();
    }

    final Pod db = new Pod(new ObjectRef("shop", "db-0"), Map.of("app", "db"), List.of(Address.parse("10.1.0.9").orElseThrow()),
            false, PodPhase.RUNNING, List.of(new ContainerPort(Optional.of("pg"), 5432, Protocol.TCP)));
    final ClusterSnapshot cluster = new ClusterSnapshot(List.of(db), List.of(new Namespace("shop", Map.of())), List.of(), List.of());
    final ImportOptions forDb = new ImportOptions(Optional.of(cluster), Optional.of(db.ref()), Optional.empty());

    final NetworkPolicy allowFrontend = new NetworkPolicy(new ObjectRef("shop", "allow-frontend"), sel("app=db"),
            Optional.empty(),
            List.of(new PolicyRule(
                    List.of(new Peer.Pods(Optional.of(sel("app=frontend")), Optional.empty()),
                            new Peer.Pods(Optional.of(sel("app.kubernetes.io/name=prometheus")), Optional.of(sel("team=platform"))),
                            new Peer.IpBlock(cidr("192.168.0.0/16"), List.of(cidr("192.168.128.0/17")))),
                    List.of(new PolicyPort(Protocol.TCP, Optional.of(new PortRef.Named("pg")), Optional.empty()),
                            new PolicyPort(Protocol.TCP, Optional.of(new PortRef.Number(9000)), Optional.of(9100))))),
            List.of());
    final NetworkPolicy egressDns = new NetworkPolicy(new ObjectRef("shop", "egress-dns"), LabelSelector.EVERYTHING,
            Optional.of(EnumSet.of(PolicyType.EGRESS)), List.of(),
            List.of(new PolicyRule(List.of(new Peer.Pods(Optional.empty(), Optional.of(sel("kubernetes.io/metadata.name=kube-system")))),
                    List.of(new PolicyPort(Protocol.UDP, Optional.of(new PortRef.Number(53)), Optional.empty()),
                            new PolicyPort(Protocol.TCP, Optional.of(new PortRef.Number(53)), Optional.empty())))));
    final NetworkPolicy otherPods = new NetworkPolicy(new ObjectRef("shop", "web-only"), sel("app=web"), Optional.empty(),
            List.of(), List.of());

    @Test
    void severalPoliciesSelectingThePodBecomeOnePolicy() {
        var result = NetworkPolicyImporter.translate(List.of(allowFrontend, egressDns, otherPods), forDb);
        assertThat(result.errors()).isEmpty();
        assertThat(result.text().orElseThrow()).isEqualTo("""
                # Imported by 'fwpolicy import networkpolicy' from shop/allow-frontend, shop/egress-dns
                # for pod shop/db-0
                # not selecting the pod, so not imported: shop/web-only
                policy shop-db-0 {
                  default inbound deny
                  default outbound deny

                  set from-1-1 = pods "app=frontend" in shop                                             # shop/allow-frontend ingress[0] peer 0
                  set from-1-2 = pods "app.kubernetes.io/name=prometheus" in namespaces "team=platform"  # shop/allow-frontend ingress[0] peer 1
                  set from-1   = { $from-1-1, $from-1-2, 192.168.0.0/17 }                                # shop/allow-frontend ingress[0]
                  set to-1-1   = pods in namespaces "kubernetes.io/metadata.name=kube-system"            # shop/egress-dns egress[0] peer 0

                  inbound {
                    allow established                                   "replies to allowed connections"
                    allow tcp from $from-1 to port { 5432, 9000-9100 }  "shop/allow-frontend ingress[0]"
                  }

                  outbound {
                    allow established             "replies to allowed connections"
                    allow udp to $to-1-1 port 53  "shop/egress-dns egress[0]"
                    allow tcp to $to-1-1 port 53  "shop/egress-dns egress[0]"
                  }
                }
                """);
        var check = new Compiler().compile(List.of(new SourceFile("imported.fwpolicy", result.text().get())));
        assertThat(check.diagnostics()).isNotEmpty().allMatch(d -> d.code().equals("no-cluster-state"));
    }

    @Test
    void whatCannotBeTranslatedExactlyIsAnErrorNamingPolicyAndField() {
        var unresolvable = new NetworkPolicy(new ObjectRef("shop", "named"), sel("app=db"), Optional.empty(),
                List.of(new PolicyRule(List.of(), List.of(new PolicyPort(Protocol.TCP, Optional.of(new PortRef.Named("http")), Optional.empty())))),
                List.of());
        assertThat(NetworkPolicyImporter.translate(List.of(unresolvable), forDb).errors()).containsExactly(
                "shop/named ingress[0]: named port 'http' (tcp) is not a container port of shop/db-0");

        assertThat(NetworkPolicyImporter.translate(List.of(allowFrontend), ImportOptions.NONE).errors()).containsExactly(
                "shop/allow-frontend ingress[0]: named port 'pg' needs --cluster-state to look up the selected pods' container ports");

        var egressNamed = new NetworkPolicy(new ObjectRef("shop", "eg"), sel("app=db"), Optional.of(Set.of(PolicyType.EGRESS)),
                List.of(), List.of(new PolicyRule(List.of(), List.of(new PolicyPort(Protocol.TCP, Optional.of(new PortRef.Named("pg")), Optional.empty())))));
        assertThat(NetworkPolicyImporter.translate(List.of(egressNamed), forDb).errors()).singleElement().asString()
                .contains("egress[0]: named port 'pg' in an egress rule");

        var ignoredRules = new NetworkPolicy(new ObjectRef("shop", "ign"), sel("app=db"), Optional.of(Set.of(PolicyType.EGRESS)),
                List.of(new PolicyRule(List.of(), List.of())), List.of());
        assertThat(NetworkPolicyImporter.translate(List.of(ignoredRules), forDb).errors()).singleElement().asString()
                .contains("has ingress rules but policyTypes lacks Ingress");

        var badExcept = new NetworkPolicy(new ObjectRef("shop", "ex"), sel("app=db"), Optional.empty(),
                List.of(new PolicyRule(List.of(new Peer.IpBlock(cidr("10.0.0.0/16"), List.of(cidr("10.1.0.0/24")))), List.of())), List.of());
        assertThat(NetworkPolicyImporter.translate(List.of(badExcept), forDb).errors()).singleElement().asString()
                .contains("except 10.1.0.0/24 is not inside 10.0.0.0/16");

        assertThat(NetworkPolicyImporter.translate(List.of(otherPods), forDb).errors()).containsExactly(
                "no NetworkPolicy given selects pod shop/db-0");
        assertThat(NetworkPolicyImporter.translate(List.of(allowFrontend),
                new ImportOptions(Optional.empty(), Optional.of(db.ref()), Optional.empty())).errors()).singleElement().asString()
                .contains("needs --cluster-state");
    }

    @Test
    void withoutAPodNamedPortsResolveOverEverySelectedPodAndMustAgree() {
        var db1 = new Pod(new ObjectRef("shop", "db-1"), Map.of("app", "db"), List.of(Address.parse("10.1.0.10").orElseThrow()),
                false, PodPhase.RUNNING, List.of(new ContainerPort(Optional.of("pg"), 5433, Protocol.TCP)));
        var two = new ClusterSnapshot(List.of(db, db1), cluster.namespaces(), List.of(), List.of());
        var result = NetworkPolicyImporter.translate(List.of(allowFrontend), new ImportOptions(Optional.of(two), Optional.empty(), Optional.empty()));
        assertThat(result.errors()).singleElement().asString().contains("[5432, 5433] on different selected pods");
        var one = NetworkPolicyImporter.translate(List.of(allowFrontend), new ImportOptions(Optional.of(cluster), Optional.empty(), Optional.empty()));
        assertThat(one.text().orElseThrow()).contains("policy shop-allow-frontend {").contains("to port { 5432, 9000-9100 }");
    }

    @Test
    void anIpBlockMinusItsExceptionsIsTheNetworksLeft() {
        assertThat(CidrDifference.minus(cidr("10.0.0.0/8"), List.of(cidr("10.0.0.0/10"), cidr("10.255.255.0/24"))))
                .extracting(Cidr::source).containsExactly("10.64.0.0/10", "10.128.0.0/10", "10.192.0.0/11", "10.224.0.0/12",
                        "10.240.0.0/13", "10.248.0.0/14", "10.252.0.0/15", "10.254.0.0/16", "10.255.0.0/17", "10.255.128.0/18",
                        "10.255.192.0/19", "10.255.224.0/20", "10.255.240.0/21", "10.255.248.0/22", "10.255.252.0/23",
                        "10.255.254.0/24");
        assertThat(CidrDifference.minus(cidr("10.0.0.0/8"), List.of(cidr("10.0.0.0/8")))).isEmpty();
        assertThat(CidrDifference.minus(cidr("fd00::/16"), List.of(cidr("fd00:8000::/17")))).extracting(Cidr::source)
                .containsExactly("fd00::/17");
    }
}
