package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.reconcile.kernel.PathShims;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.loop.LoopSettings;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.loop.SyncTrigger;
import dev.fwpolicy.sidecar.source.ApiServerHealth;
import dev.fwpolicy.sidecar.source.ClusterWatch;
import dev.fwpolicy.sidecar.source.WatchedCluster;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.MockApiServer;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.source.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * serve following the cluster, end to end: fabric8's mock API server in CRUD mode, the loop
 * with its cluster watch, the real reconciler in a test network namespace behind wrappers that
 * log every iptables and ipset call. Pods created, relabelled, deleted and given a new address,
 * a namespace relabelled, an EndpointSlice changed: the kernel sets follow, and after the first
 * apply no iptables restore runs and the rules stay byte for byte. Nothing is applied before
 * every informer has listed, and an API server that fails keeps the last members.
 */
@Tag("kernel")
class ClusterWatchKernelTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static final String POLICY = """
            policy db priority 10 {
              set frontend = pods "app=frontend" in shop
              set workers  = pods "app=worker" in namespaces "team=shop"
              set api      = service shop/api
              default inbound deny
              default outbound allow
              inbound {
                allow established
                allow tcp from $frontend to port 5432 "frontends"
                allow tcp from $workers to port 6379 "workers"
                allow tcp from $api to port 8080 "api"
              }
            }
            """;

    /** IPv4 members of the kernel set {@code fwp-db-<set>-4…}, from {@code ipset save}. */
    static Set<String> members(Netns netns, String set) {
        var out = new TreeSet<String>();
        for (var line : netns.run(List.of("ipset", "save"), Optional.empty()).split("\n")) {
            var parts = line.split(" ");
            if (parts.length >= 3 && parts[0].equals("add") && parts[1].startsWith("fwp-db-" + set + "-4")) out.add(parts[2]);
        }
        return out;
    }

    static List<String> rules(Netns netns, String backend) {
        return netns.save(backend).lines().filter(l -> l.startsWith("-A") || l.startsWith(":FWP")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void kernelSetsFollowTheClusterAndRulesNeverChange(String backend) throws Exception {
        try (var netns = Netns.create(); var shims = PathShims.create(); var api = new MockApiServer()) {
            api.namespace("shop", Map.of("team", "shop"));
            api.namespace("other", Map.of());
            api.pod("shop", "frontend-1", Map.of("app", "frontend"), "10.1.0.1");
            api.pod("other", "worker-1", Map.of("app", "worker"), "10.2.0.1");
            api.slice("shop", "api", "10.1.0.9");
            // The first informer cannot list yet: nothing may be applied with empty sets meanwhile.
            api.failWhen(path -> path.contains("/endpointslices"));

            var firewall = ReconcilerFirewall.open(shims.runner(netns), backend, java.util.EnumSet.allOf(Family.class));
            var health = new ApiServerHealth();
            try (var svc = new ServiceHarness(firewall, v -> new ManualSource(List.of(new SourceFile("db.fwpolicy", POLICY))), v -> {
                var feed = new WatchedCluster(new ClusterWatch(api.client(v, health), health), "shop");
                var compiler = new Compiler();
                var loop = new LoopSettings(Duration.ofMinutes(10), Duration.ZERO).withVerifyDelay(Duration.ofMinutes(10))
                        .withMemberSyncInterval(Duration.ZERO);
                return SidecarOptions.of(loop, new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                        .withCompiler(compiler, new PrimedCompile(sources -> compiler.compile(sources, feed.input())))
                        .withCluster(feed);
            })) {
                await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> !svc.snapshot().ready());
                assertThat(shims.calls()).noneMatch(c -> c.contains("restore"));
                var waiting = svc.get("/v1/status").json().getJsonObject("cluster");
                assertThat(waiting.getBoolean("membersKnown")).isFalse();

                api.failWhen(path -> false);
                await().atMost(Duration.ofSeconds(30)).until(() -> svc.snapshot().ready());
                assertThat(members(netns, "frontend")).containsExactly("10.1.0.1");
                assertThat(members(netns, "workers")).isEmpty();          // namespace "other" is not team=shop
                assertThat(members(netns, "api")).containsExactly("10.1.0.9");
                var rulesBefore = rules(netns, backend);
                assertThat(rulesBefore).anyMatch(l -> l.contains("--match-set fwp-db-frontend-4"));
                shims.clearCalls();
                long syncsBefore = svc.snapshot().lastSync().orElseThrow().at().toEpochMilli();

                api.pod("shop", "frontend-2", Map.of("app", "frontend"), "10.1.0.2");          // created
                await().atMost(WAIT).until(() -> members(netns, "frontend").equals(Set.of("10.1.0.1", "10.1.0.2")));
                api.pod("shop", "frontend-1", Map.of("app", "backend"), "10.1.0.1");            // relabelled out
                await().atMost(WAIT).until(() -> members(netns, "frontend").equals(Set.of("10.1.0.2")));
                api.pod("shop", "frontend-2", Map.of("app", "frontend"), "10.1.0.22");          // a new address
                await().atMost(WAIT).until(() -> members(netns, "frontend").equals(Set.of("10.1.0.22")));
                api.deletePod("shop", "frontend-2");                                             // deleted
                await().atMost(WAIT).until(() -> members(netns, "frontend").isEmpty());
                api.namespace("other", Map.of("team", "shop"));                                  // namespace relabelled
                await().atMost(WAIT).until(() -> members(netns, "workers").equals(Set.of("10.2.0.1")));
                api.slice("shop", "api", "10.1.0.10", "10.1.0.12");                              // slice changed
                await().atMost(WAIT).until(() -> members(netns, "api").equals(Set.of("10.1.0.10", "10.1.0.12")));

                // Only ipset wrote; iptables was read back, never restored; the rules are as they were.
                var calls = shims.calls();
                assertThat(calls).anyMatch(c -> c.startsWith("ipset restore"));
                assertThat(calls).noneMatch(c -> c.startsWith("iptables") && c.contains("-restore"));
                assertThat(calls).noneMatch(c -> c.startsWith("ip6tables") && c.contains("-restore"));
                assertThat(shims.checkViolations()).isEmpty();
                assertThat(rules(netns, backend)).isEqualTo(rulesBefore);
                var last = svc.snapshot().lastSync().orElseThrow();
                assertThat(last.at().toEpochMilli()).isGreaterThanOrEqualTo(syncsBefore);
                assertThat(last.triggers()).contains(SyncTrigger.MEMBERS);
                assertThat(last.result().orElseThrow().restoreInvocations()).isZero();

                var status = svc.get("/v1/status").json().getJsonObject("cluster");
                assertThat(status.getBoolean("membersKnown")).isTrue();
                assertThat(status.getJsonArray("watches")).hasSize(4);
                assertThat(status.getJsonObject("apiServer").getBoolean("reachable")).isTrue();
                var latency = svc.registry.find("fwpolicy.members.update.duration").timer();
                assertThat(latency.count()).isGreaterThanOrEqualTo(6);
                System.out.printf("%s: event -> kernel over %d member changes: mean %.1f ms, max %.1f ms%n", backend, latency.count(),
                        latency.mean(java.util.concurrent.TimeUnit.MILLISECONDS), latency.max(java.util.concurrent.TimeUnit.MILLISECONDS));

                // The API server goes away: a sync keeps every member it had.
                var frontends = members(netns, "workers");
                var apis = members(netns, "api");
                api.outage();
                await().atMost(WAIT).until(() -> !svc.get("/v1/status").json().getJsonObject("cluster")
                        .getJsonObject("apiServer").getBoolean("reachable"));
                var record = svc.service.loop().syncNow(SyncTrigger.API).toCompletionStage().toCompletableFuture().get();
                assertThat(record.ok()).isTrue();
                assertThat(members(netns, "workers")).isEqualTo(frontends);
                assertThat(members(netns, "api")).isEqualTo(apis);
                assertThat(rules(netns, backend)).isEqualTo(rulesBefore);
                api.recover();
            }
        }
    }
}
