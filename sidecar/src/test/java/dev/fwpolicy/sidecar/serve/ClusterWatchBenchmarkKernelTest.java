package dev.fwpolicy.sidecar.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.loop.LoopSettings;
import dev.fwpolicy.sidecar.loop.PrimedCompile;
import dev.fwpolicy.sidecar.loop.ReconcilerFirewall;
import dev.fwpolicy.sidecar.source.ApiServerHealth;
import dev.fwpolicy.sidecar.source.ClusterWatch;
import dev.fwpolicy.sidecar.source.WatchPlan;
import dev.fwpolicy.sidecar.source.WatchedCluster;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.MockApiServer;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.engine.cluster.MemberSource;
import dev.fwpolicy.engine.cluster.NamespaceScope;
import dev.fwpolicy.engine.cluster.SelectorParser;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cluster watch's benchmark rows (opt-in: {@code -Dfwp.bench=true}): pod churn at 1,000
 * changes per minute through the mock API server into the kernel, time from the watch event
 * to the members in the kernel (median, p99, per backend); and the heap the informer caches
 * take at 10,000 pods. Prints a table; asserts only that every change arrived.
 */
@Tag("benchmark")
@Tag("kernel")
class ClusterWatchBenchmarkKernelTest {
    private static final int PODS_IN_CHURN = 100;

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A pod about as large as a real one: labels, an owner, two containers with ports and resources, conditions, statuses. */
    static io.fabric8.kubernetes.api.model.Pod realisticPod(String ns, String name, Map<String, String> labels, String ip) {
        var containers = new ArrayList<io.fabric8.kubernetes.api.model.Container>();
        for (var c : List.of("app", "fwpolicy")) {
            containers.add(new ContainerBuilder().withName(c).withImage("registry.example/shop/" + c + ":1.4.2")
                    .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                    .withNewResources().addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                    .addToLimits("memory", new Quantity("256Mi")).endResources()
                    .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace")
                    .endFieldRef().endValueFrom().endEnv().build());
        }
        var status = new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels)
                .addToLabels("pod-template-hash", "7d9f8c6b5").addToAnnotations("kubectl.kubernetes.io/restartedAt", "2026-11-30T10:00:00Z")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(name + "-rs").withUid("u-" + name)
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withContainers(containers).withServiceAccountName("shop").withNodeName("node-7").endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP(ip).withHostIP("192.168.1.7")
                .withStartTime("2026-11-30T10:00:01Z");
        for (var t : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            status = status.addNewCondition().withType(t).withStatus("True").withLastTransitionTime("2026-11-30T10:00:05Z").endCondition();
        }
        for (var c : List.of("app", "fwpolicy")) {
            status = status.addNewContainerStatus().withName(c).withReady(true).withRestartCount(0).withImage("registry.example/shop/" + c + ":1.4.2")
                    .withImageID("registry.example/shop/" + c + "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                    .withContainerID("containerd://0123456789abcdef0123456789abcdef").withNewState().withNewRunning()
                    .withStartedAt("2026-11-30T10:00:04Z").endRunning().endState().endContainerStatus();
        }
        return status.endStatus().build();
    }

    /** Every other address: the compiler merges adjacent members into one prefix, and a set read back would not list them one by one. */
    private static String ip(int i) {
        int n = 2 * i;
        return "10." + (100 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256);
    }

    @Test
    void podChurnToKernelAndCacheMemory() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("fwp.bench"), "benchmark: run with -Dfwp.bench=true");
        int perMinute = Integer.getInteger("fwp.bench.churnPerMinute", 1000);
        int seconds = Integer.getInteger("fwp.bench.churnSeconds", 60);
        var rows = new ArrayList<String>();
        for (var backend : List.of("nft", "legacy")) rows.add(churn(backend, perMinute, seconds));
        rows.add(memory(Integer.getInteger("fwp.bench.pods", 10_000)));
        System.out.println();
        System.out.println("| cluster watch | figure | load average |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
    }

    private String churn(String backend, int perMinute, int seconds) throws Exception {
        String policy = """
                policy db priority 10 {
                  set web = pods "app=web" in shop
                  default inbound deny
                  default outbound allow
                  inbound {
                    allow established
                    allow tcp from $web to port 5432 "web"
                  }
                }
                """;
        try (var netns = Netns.create(); var api = new MockApiServer()) {
            api.namespace("shop", Map.of());
            for (int i = 0; i < PODS_IN_CHURN; i++) api.pod("shop", "web-" + i, Map.of("app", "web"), ip(i));
            var firewall = ReconcilerFirewall.open(Optional.of(netns.name()), backend, EnumSet.allOf(Family.class));
            var health = new ApiServerHealth();
            try (var svc = new ServiceHarness(firewall, v -> new ManualSource(List.of(new SourceFile("db.fwpolicy", policy))), v -> {
                var feed = new WatchedCluster(new ClusterWatch(api.client(v, health), health), "shop");
                var compiler = new Compiler();
                // serve's defaults, except no periodic resync during the run
                var loop = new LoopSettings(Duration.ofMinutes(10), Duration.ofSeconds(1), LoopSettings.DEFAULT_BURST,
                        LoopSettings.DEFAULT_VERIFY_DELAY, LoopSettings.DEFAULT_MEMBER_SYNC_INTERVAL);
                return SidecarOptions.of(loop, new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                        .withCompiler(compiler, new PrimedCompile(sources -> compiler.compile(sources, feed.input())))
                        .withCluster(feed);
            })) {
                await().atMost(Duration.ofSeconds(60)).until(() -> svc.snapshot().ready());
                var timer = svc.registry.find("fwpolicy.members.update.duration").timer();
                long intervalNanos = TimeUnit.MINUTES.toNanos(1) / perMinute;
                int changes = perMinute * seconds / 60;
                double loadBefore = load();
                long start = System.nanoTime();
                for (int n = 0; n < changes; n++) {
                    long due = start + n * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                    int pod = n % PODS_IN_CHURN;
                    // a rollout: the pod comes back with another address
                    api.pod("shop", "web-" + pod, Map.of("app", "web"), ip(PODS_IN_CHURN * (1 + n / PODS_IN_CHURN) + pod));
                }
                double took = (System.nanoTime() - start) / 1e9;
                int last = changes - 1;
                String lastIp = ip(PODS_IN_CHURN * (1 + last / PODS_IN_CHURN) + last % PODS_IN_CHURN);
                await().atMost(Duration.ofSeconds(30)).until(() -> ClusterWatchKernelTest.members(netns, "web").contains(lastIp));
                assertThat(ClusterWatchKernelTest.members(netns, "web")).hasSize(PODS_IN_CHURN);
                var snap = timer.takeSnapshot();
                double p50 = 0, p99 = 0;
                for (ValueAtPercentile v : snap.percentileValues()) {
                    if (v.percentile() == 0.5) p50 = v.value(TimeUnit.MILLISECONDS);
                    if (v.percentile() == 0.99) p99 = v.value(TimeUnit.MILLISECONDS);
                }
                long syncs = svc.registry.find("fwpolicy.syncs").tag("result", "ok").counter() == null ? -1
                        : (long) svc.registry.find("fwpolicy.syncs").tag("result", "ok").counter().count();
                return String.format("| %s: %d pod address changes in %.0f s (%d/min) via mock API server → ipset, event→kernel per sync (oldest event of the batch) | median %.0f ms, p99 %.0f ms, max %.0f ms over %d member syncs (%d syncs in all) | %.1f → %.1f |",
                        backend, changes, took, perMinute, p50, p99, snap.max(TimeUnit.MILLISECONDS), snap.count(), syncs,
                        loadBefore, load());
            }
        }
    }

    private String memory(int pods) throws Exception {
        var vertx = Vertx.vertx();
        try (var api = new MockApiServer()) {
            api.namespace("shop", Map.of());
            var admin = api.admin();
            for (int i = 0; i < pods; i++) {
                admin.pods().inNamespace("shop").resource(realisticPod("shop", "web-" + i, Map.of("app", "web", "tier", "front"), ip(i))).create();
            }
            long before = usedAfterGc();
            var health = new ApiServerHealth();
            var watch = new ClusterWatch(api.client(vertx, health), health);
            watch.start(vertx, (s, t) -> {});
            var source = new MemberSource.Pods(SelectorParser.parseValid("app=web").orElseThrow(), new NamespaceScope.Named("shop"));
            long t0 = System.nanoTime();
            watch.plan(WatchPlan.of(List.of(source)));
            await().atMost(Duration.ofMinutes(5)).until(() -> watch.snapshot().map(s -> s.pods().size() == pods).orElse(false));
            double listSeconds = (System.nanoTime() - t0) / 1e9;
            long after = usedAfterGc();
            watch.stop();
            return String.format("| heap of one pod informer (fabric8 cache + fwpolicy's converted pods and snapshot) at %,d pods of ~%.1f KB JSON each | %.1f MB (%.0f bytes/pod); listed and snapshot built in %.1f s | %.1f |",
                    pods, admin.getKubernetesSerialization().asJson(realisticPod("shop", "web-0", Map.of("app", "web", "tier", "front"), ip(0))).length() / 1024.0,
                    (after - before) / 1e6, (after - before) / (double) pods, listSeconds, load());
        } finally {
            vertx.close().await();
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        var rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
