package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.serve.SidecarService;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.engine.testing.Netns;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;

/**
 * The service over the real reconciler, on both backends: a restarted service adopts the rules
 * in force without writing (no blip), and --remove-on-exit takes out every chain and jump.
 */
@Tag("kernel")
class ReconcilerFirewallKernelTest {

    private static SidecarService start(io.vertx.core.Vertx vertx, io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry,
                                        FirewallSync firewall, boolean removeOnExit) throws Exception {
        var service = SidecarService.start(vertx, registry, firewall,
                new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                        .withRemoveOnExit(removeOnExit))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.loop().snapshot().ready());
        return service;
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void restartAdoptsWithoutWritingAndRemoveOnExitCleansUp(String backend) throws Exception {
        try (var netns = Netns.create()) {
            netns.restore(backend, "*filter\n:KUBE-FOREIGN - [0:0]\n-A INPUT -s 192.0.2.1/32 -j KUBE-FOREIGN\nCOMMIT\n");
            var foreign = netns.save(backend).lines().filter(l -> l.contains("KUBE-FOREIGN")).toList();
            var registry = SidecarService.newRegistry();
            var vertx = SidecarService.newVertx(registry);
            try {
                var first = start(vertx, registry, ReconcilerFirewall.open(Optional.of(netns.name()), backend), false);
                var firstSync = first.loop().snapshot().lastSuccess().orElseThrow().result().orElseThrow();
                assertThat(firstSync.restoreInvocations()).isPositive();
                assertThat(first.loop().snapshot().backend().name()).isEqualTo(backend);
                first.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                var afterStop = netns.save(backend);
                assertThat(afterStop).contains(":FWP-INPUT").contains("fwp1:");

                // a new instance over the correct kernel: adopts, writes nothing
                var second = start(vertx, registry, ReconcilerFirewall.open(Optional.of(netns.name()), backend), true);
                var adopt = second.loop().snapshot().lastSuccess().orElseThrow().result().orElseThrow();
                assertThat(adopt.restoreInvocations()).isZero();
                assertThat(adopt.counts().unchanged()).isEqualTo(TestPolicies.compile(TestPolicies.WEB).ruleCount());
                assertThat(second.loop().inspect(true).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).plan().problems().isEmpty())
                        .isTrue();

                // --remove-on-exit: nothing of fwpolicy's is left; foreign rules untouched
                second.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                var removed = netns.save(backend);
                assertThat(removed).doesNotContain("FWP-").doesNotContain("fwp1:");
                assertThat(removed.lines().filter(l -> l.contains("KUBE-FOREIGN")).toList()).isEqualTo(foreign);
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
