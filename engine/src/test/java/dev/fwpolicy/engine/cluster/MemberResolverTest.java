package dev.fwpolicy.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.net.Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemberResolverTest {

    static Address ip(String text) {
        return Address.parse(text).orElseThrow();
    }

    static Pod pod(String ns, String name, Map<String, String> labels, String... ips) {
        return new Pod(new ObjectRef(ns, name), labels, List.of(ips).stream().map(MemberResolverTest::ip).toList(), false,
                PodPhase.RUNNING, List.of());
    }

    static LabelSelector sel(String text) {
        return SelectorParser.parseValid(text).orElseThrow();
    }

    final ClusterSnapshot snapshot = new ClusterSnapshot(
            List.of(
                    pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.7", "fd00::7"),
                    pod("shop", "frontend-2", Map.of("app", "frontend"), "10.1.0.3"),
                    pod("shop", "db-0", Map.of("app", "db"), "10.1.0.9"),
                    pod("other", "frontend-9", Map.of("app", "frontend"), "10.2.0.1"),
                    pod("monitoring", "prom-0", Map.of("app.kubernetes.io/name", "prometheus"), "10.3.0.1"),
                    new Pod(new ObjectRef("shop", "host-agent"), Map.of("app", "frontend"), List.of(ip("192.168.1.10")), true,
                            PodPhase.RUNNING, List.of()),
                    new Pod(new ObjectRef("shop", "job-done"), Map.of("app", "frontend"), List.of(ip("10.1.0.50")), false,
                            PodPhase.SUCCEEDED, List.of()),
                    new Pod(new ObjectRef("shop", "job-failed"), Map.of("app", "frontend"), List.of(ip("10.1.0.51")), false,
                            PodPhase.FAILED, List.of()),
                    new Pod(new ObjectRef("shop", "pending"), Map.of("app", "frontend"), List.of(), false,
                            PodPhase.PENDING, List.of())),
            List.of(new Namespace("shop", Map.of("team", "shop")), new Namespace("other", Map.of("team", "shop")),
                    new Namespace("monitoring", Map.of("team", "platform"))),
            List.of(new Service(new ObjectRef("shop", "api"), Map.of("app", "db"))),
            List.of(
                    new EndpointSlice(new ObjectRef("shop", "api-abc"), Optional.of("api"), List.of(
                            new Endpoint(List.of(ip("10.1.0.9")), Optional.of(new ObjectRef("shop", "db-0"))),
                            new Endpoint(List.of(ip("192.0.2.1")), Optional.empty()))),
                    new EndpointSlice(new ObjectRef("shop", "api-v6"), Optional.of("api"), List.of(
                            new Endpoint(List.of(ip("fd00::9")), Optional.of(new ObjectRef("shop", "db-0"))))),
                    new EndpointSlice(new ObjectRef("other", "api-x"), Optional.of("api"), List.of(
                            new Endpoint(List.of(ip("10.2.0.99")), Optional.empty())))));

    final MemberResolver resolver = new MemberResolver(snapshot);

    private List<String> described(MemberSource source) {
        return resolver.members(source).stream().map(Member::describe).toList();
    }

    @Test
    void podsBySelectorInOneNamespaceBothFamiliesWithThePodBehindEachAddress() {
        assertThat(described(new MemberSource.Pods(sel("app=frontend"), new NamespaceScope.Named("shop"))))
                .containsExactly("10.1.0.3 (shop/frontend-2)", "10.1.0.7 (shop/frontend-1)", "fd00::7 (shop/frontend-1)");
    }

    @Test
    void hostNetworkFinishedAndAddresslessPodsAreNotMembers() {
        var all = described(new MemberSource.Pods(LabelSelector.EVERYTHING, new NamespaceScope.Named("shop")));
        assertThat(all).noneMatch(s -> s.contains("host-agent") || s.contains("job-") || s.contains("pending"));
        assertThat(all).hasSize(4);
    }

    @Test
    void podsInNamespacesMatchingASelector() {
        assertThat(described(new MemberSource.Pods(sel("app=frontend"), new NamespaceScope.Selected(sel("team=shop")))))
                .containsExactly("10.1.0.3 (shop/frontend-2)", "10.1.0.7 (shop/frontend-1)", "10.2.0.1 (other/frontend-9)",
                        "fd00::7 (shop/frontend-1)");
        assertThat(described(new MemberSource.Pods(sel("app.kubernetes.io/name=prometheus"),
                new NamespaceScope.Selected(sel("team=platform"))))).containsExactly("10.3.0.1 (monitoring/prom-0)");
        assertThat(described(new MemberSource.Pods(sel("app=frontend"), new NamespaceScope.Selected(sel("team=none")))))
                .isEmpty();
    }

    @Test
    void aServiceIsItsSlicesEndpointsInItsOwnNamespace() {
        assertThat(described(new MemberSource.ServiceEndpoints(new ObjectRef("shop", "api"))))
                .containsExactly("10.1.0.9 (shop/db-0)", "192.0.2.1", "fd00::9 (shop/db-0)");
        assertThat(described(new MemberSource.ServiceEndpoints(new ObjectRef("shop", "missing")))).isEmpty();
    }

    @Test
    void relabellingAPodMovesItOutOfTheSet() {
        var before = new MemberSource.Pods(sel("app=frontend"), new NamespaceScope.Named("other"));
        assertThat(described(before)).containsExactly("10.2.0.1 (other/frontend-9)");
        var relabelled = new ClusterSnapshot(snapshot.pods().stream()
                .map(p -> p.ref().name().equals("frontend-9")
                        ? new Pod(p.ref(), Map.of("app", "backend"), p.podIPs(), false, p.phase(), p.ports()) : p).toList(),
                snapshot.namespaces(), snapshot.services(), snapshot.endpointSlices());
        assertThat(new MemberResolver(relabelled).members(before)).isEmpty();
    }
}
