package dev.fwpolicy.sidecar.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.cluster.ClusterSnapshot;
import dev.fwpolicy.engine.cluster.ObjectRef;
import dev.fwpolicy.engine.cluster.Pod;
import dev.fwpolicy.engine.cluster.PodPhase;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualClusterFeed;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The loop with a cluster feed the test drives: a policy whose sets follow pods is not applied
 * until the feed has members; a change of members syncs with trigger {@code members}, not as a
 * policy reload nor as drift; a refused newer policy leaves the feed following the policy in
 * force; a policy without dynamic sets closes the watches.
 */
class ClusterFeedLoopTest {
    static final String WEB_PODS = """
            policy db priority 10 {
              set web = pods "app=web" in shop
              default inbound deny
              inbound {
                allow tcp from $web to port 5432 "web"
              }
            }
            """;
    static final String WEB_AND_API_PODS = """
            policy db priority 10 {
              set web = pods "app=web" in shop
              set api = pods "app=api" in shop
              default inbound deny
              inbound {
                allow tcp from $web to port 5432 "web"
                allow tcp from $api to port 5432 "api"
              }
            }
            """;

    private static Pod pod(String name, String app, String ip) {
        return new Pod(new ObjectRef("shop", name), Map.of("app", app), List.of(Address.parse(ip).orElseThrow()), false,
                PodPhase.RUNNING, List.of());
    }

    private static ClusterSnapshot cluster(Pod... pods) {
        return new ClusterSnapshot(List.of(pods), List.of(), List.of(), List.of());
    }

    private static Set<String> members(RuleSet rules, String set) {
        return rules.sets().stream().filter(s -> s.set().equals(set)).flatMap(s -> s.members().stream()).map(Cidr::toString)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void membersFollowTheFeedAndNothingIsAppliedBeforeItHasListed() throws Exception {
        var firewall = new FakeFirewall();
        var feed = new ManualClusterFeed("shop");
        var source = new ManualSource(List.of(new SourceFile("db.fwpolicy", WEB_PODS)));
        var compiler = new Compiler();
        var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                .withCompiler(compiler, new PrimedCompile(sources -> compiler.compile(sources, feed.input())))
                .withCluster(feed);
        try (var svc = new ServiceHarness(firewall, v -> source, options)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !feed.followed.isEmpty());
            Thread.sleep(300);
            assertThat(firewall.syncs.get()).isZero();
            assertThat(svc.snapshot().policy()).isEmpty();

            feed.list(cluster(pod("web-1", "web", "10.1.0.1")));
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            assertThat(members(firewall.lastSynced.orElseThrow(), "web")).containsExactly("10.1.0.1/32");
            var revision = svc.snapshot().applied().orElseThrow();

            feed.list(cluster(pod("web-1", "web", "10.1.0.1"), pod("web-2", "web", "10.1.0.7")));
            await().atMost(Duration.ofSeconds(10)).until(() -> members(firewall.lastSynced.orElseThrow(), "web").size() == 2);
            var record = svc.snapshot().lastSync().orElseThrow();
            assertThat(record.triggers()).containsExactly(SyncTrigger.MEMBERS);
            assertThat(record.countedAsDrift()).isFalse();
            assertThat(record.revision()).isEqualTo(revision);
            assertThat(svc.registry.find("fwpolicy.members.update.duration").timer().count()).isGreaterThanOrEqualTo(1);

            // A newer policy needs another informer: it waits; the policy in force stays.
            int syncs = firewall.syncs.get();
            source.load("db.fwpolicy", WEB_AND_API_PODS);
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.followed.get(feed.followed.size() - 1).size() == 2);
            Thread.sleep(300);
            assertThat(firewall.syncs.get()).isEqualTo(syncs);
            assertThat(svc.snapshot().applied()).contains(revision);

            // Refused instead (broken) before the watch listed: the feed follows the policy in force again.
            source.load("db.fwpolicy", TestPolicies.BROKEN);
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().problem().isPresent());
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.followed.get(feed.followed.size() - 1).size() == 1);

            // The two-set policy again, and the watch lists: it is applied with both sets' members.
            source.load("db.fwpolicy", WEB_AND_API_PODS);
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.followed.get(feed.followed.size() - 1).size() == 2);
            feed.list(cluster(pod("web-1", "web", "10.1.0.1"), pod("api-1", "api", "10.1.0.9")));
            await().atMost(Duration.ofSeconds(10)).until(() -> !svc.snapshot().applied().orElseThrow().equals(revision));
            assertThat(members(firewall.lastSynced.orElseThrow(), "api")).containsExactly("10.1.0.9/32");
            assertThat(svc.snapshot().lastSync().orElseThrow().triggers()).contains(SyncTrigger.POLICY);

            // A policy without dynamic sets: nothing to follow, applied at once.
            source.load("web.fwpolicy", TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.followed.get(feed.followed.size() - 1).isEmpty()
                    && firewall.lastSynced.orElseThrow().sets().isEmpty());
        }
    }
}
