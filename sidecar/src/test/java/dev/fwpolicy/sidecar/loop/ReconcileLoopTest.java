package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.serve.SidecarService;
import dev.fwpolicy.sidecar.source.SourceUpdate;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The loop's promises: coalescing, one sync at a time, a minimum interval, reads that never wait. */
@ExtendWith(VertxExtension.class)
class ReconcileLoopTest {

    @Test
    void burstOfRequestsCoalescesAndNeverOverlaps(VertxTestContext test) throws Exception {
        var firewall = new FakeFirewall();
        firewall.syncDelay = Duration.ofMillis(150);
        var minInterval = Duration.ofMillis(300);
        var svc = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                new LoopSettings(Duration.ofMinutes(10), minInterval), Optional.empty(), 4096);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
        int before = firewall.syncs.get();

        var requests = new ArrayList<Future<SyncRecord>>();
        for (int i = 0; i < 50; i++) requests.add(svc.service.loop().syncNow("api"));
        Future.all(requests).onComplete(test.succeeding(all -> test.verify(() -> {
            int ran = firewall.syncs.get() - before;
            // 50 requests while a sync runs or waits for a token: the one in flight plus one more
            assertThat(ran).isBetween(1, 2);
            assertThat(firewall.maxConcurrent.get()).isEqualTo(1);
            // a bucket of 2 refilled once per interval: any three consecutive starts span at least one interval
            var starts = List.copyOf(firewall.syncStartsNanos);
            for (int i = 2; i < starts.size(); i++) {
                // measured inside the worker: allow for the hand-off to a worker thread
                assertThat(Duration.ofNanos(starts.get(i) - starts.get(i - 2))).isGreaterThanOrEqualTo(minInterval.minusMillis(20));
            }
            for (var f : requests) assertThat(f.result().ok()).isTrue();
            test.completeNow();
        })));
        try {
            assertThat(test.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
            if (test.failed()) throw new AssertionError(test.causeOfFailure());
        } finally {
            svc.close();
        }
    }

    @Test
    void neverTwoSyncsAtOnceEvenWithoutAnInterval() throws Exception {
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            firewall.syncDelay = Duration.ofMillis(200);
            int before = firewall.syncs.get();
            var requests = new ArrayList<Future<SyncRecord>>();
            for (int i = 0; i < 10; i++) {
                requests.add(svc.service.loop().syncNow("api"));
                Thread.sleep(30);
            }
            Future.all(requests).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(firewall.maxConcurrent.get()).isEqualTo(1);
            // 10 requests over 300 ms against 200 ms syncs: the running one plus coalesced followers
            assertThat(firewall.syncs.get() - before).isBetween(2, 3);
        }
    }

    @Test
    void aBurstOfTwoThenOnePerInterval() throws Exception {
        var firewall = new FakeFirewall();
        var interval = Duration.ofMillis(500);
        try (var svc = new ServiceHarness(firewall, new ManualSource(List.of()), new LoopSettings(Duration.ofMinutes(10), interval, 2),
                Optional.empty(), 4096)) {
            var source = (ManualSource) svc.source;
            source.load("web.fwpolicy", TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready()); // token 1 of 2
            long start = System.nanoTime();
            svc.service.loop().syncNow("api").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // token 2: no wait
            var second = Duration.ofNanos(System.nanoTime() - start);
            svc.service.loop().syncNow("api").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS); // waits for a refill
            var third = Duration.ofNanos(System.nanoTime() - start);
            assertThat(second).isLessThan(Duration.ofMillis(250));
            assertThat(third).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(firewall.maxConcurrent.get()).isEqualTo(1);
        }
    }

    @Test
    void readsDoNotWaitForASlowSync() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            firewall.syncDelay = Duration.ofSeconds(3);
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(2)).until(() -> firewall.syncs.get() == 2);
            long start = System.nanoTime();
            var status = svc.get("/v1/status");
            var rules = svc.get("/v1/rules");
            var took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(status.status()).isEqualTo(200);
            assertThat(rules.status()).isEqualTo(200);
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            // the new policy is loaded, the old one is still the applied one while the sync runs
            var json = status.json();
            assertThat(json.getJsonObject("policy").getString("revision")).isEqualTo(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision());
            assertThat(json.getString("appliedRevision")).isEqualTo(TestPolicies.compile(TestPolicies.WEB).revision());
            assertThat(json.getBoolean("inForce")).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.get("/v1/status").json().getBoolean("inForce"));
        }
    }

    @Test
    void periodicResyncRepairsDriftAndCountsItByKind() throws Exception {
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                new LoopSettings(Duration.ofMillis(300), Duration.ZERO), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            firewall.delete(0);
            firewall.addJunk("FWP-IN");
            await().atMost(Duration.ofSeconds(5)).until(() -> firewall.state(TestPolicies.compile(TestPolicies.WEB)).inSync());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(svc.get("/metrics").body())
                    .contains("fwpolicy_drift_repaired_total{kind=\"missing\"} 1.0")
                    .contains("fwpolicy_drift_repaired_total{kind=\"extra\"} 1.0"));
            assertThat(svc.snapshot().lastSync().orElseThrow().trigger()).contains("resync");
        }
    }

    @Test
    void aPolicyChangeIsNotCountedAsDrift() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    firewall.appliedRevision.equals(Optional.of(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision())));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(svc.get("/metrics").body()).contains("fwpolicy_syncs_total{result=\"ok\"} 2.0")
                            .contains("fwpolicy_drift_repaired_total{kind=\"missing\"} 0.0"));
        }
    }

    @Test
    void aFailedSyncIsRetriedBeforeTheNextResync() throws Exception {
        var firewall = new FakeFirewall();
        firewall.failWith = Optional.of("iptables-restore: Resource temporarily unavailable");
        try (var svc = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> svc.snapshot().lastSync().isPresent());
            assertThat(svc.snapshot().ready()).isFalse();
            firewall.failWith = Optional.empty();
            // resync is 10 minutes away; the retry comes after about a second
            await().atMost(Duration.ofSeconds(5)).until(() -> svc.snapshot().ready());
            assertThat(svc.snapshot().lastSuccess().orElseThrow().trigger()).isEqualTo("retry");
            assertThat(svc.get("/metrics").body()).contains("fwpolicy_syncs_total{result=\"failed\"} 1.0");
        }
    }

    @Test
    void aCompilerOutOfMemorySaysToRaiseTheLimitAndAppliesNothing() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        var compiler = new PrimedCompile(files -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        });
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), compiler)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().problem().isPresent());
            assertThat(svc.snapshot().problem().get().message()).contains("ran out of memory", "raise the memory limit");
            assertThat(svc.snapshot().ready()).isFalse();
            assertThat(firewall.syncs.get()).isZero();
        }
    }

    @Test
    void sameContentAgainDoesNotSync() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            source.load("web.fwpolicy", TestPolicies.BROKEN);
            await().atMost(Duration.ofSeconds(5)).until(() -> svc.snapshot().problem().isPresent());
            source.load("web.fwpolicy", TestPolicies.WEB);
            await().atMost(Duration.ofSeconds(5)).until(() -> svc.snapshot().problem().isEmpty());
            Thread.sleep(300);
            assertThat(firewall.syncs.get()).isEqualTo(1);
        }
    }

    @Test
    void sourceGoneKeepsTheRulesAndSaysSo() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            int lines = firewall.lines().size();
            source.push(new SourceUpdate.Gone("ConfigMap default/web was deleted"));
            await().atMost(Duration.ofSeconds(5)).until(() -> svc.snapshot().sourceGone().isPresent());
            var status = svc.get("/v1/status").json();
            assertThat(status.getString("sourceGone")).contains("deleted");
            assertThat(status.getBoolean("inForce")).isTrue();
            assertThat(firewall.lines()).hasSize(lines);
        }
    }

    @Test
    void stoppingLeavesRulesUnlessAskedToRemoveThem() throws Exception {
        for (boolean remove : new boolean[] {false, true}) {
            var firewall = new FakeFirewall();
            var registry = SidecarService.newRegistry();
            var vertx = SidecarService.newVertx(registry);
            try {
                var service = SidecarService.start(vertx, registry, firewall,
                        new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))), ServiceHarness.fastLoop(),
                        new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096), remove).toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> service.loop().snapshot().ready());
                service.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (remove) assertThat(firewall.lines()).isEmpty();
                else assertThat(firewall.lines()).hasSize(TestPolicies.compile(TestPolicies.WEB).ruleCount());
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- the verify sync after a write (the reconciler verifies on its next read) ----

    private static String lastTrigger(ServiceHarness svc) {
        return svc.snapshot().lastSync().map(SyncRecord::trigger).orElse("");
    }

    private static LoopSettings verifyingLoop() {
        return new LoopSettings(Duration.ofMinutes(10), Duration.ZERO).withVerifyDelay(Duration.ofSeconds(1));
    }

    @Test
    void aWriteIsFollowedByExactlyOneQuietVerifySync() throws Exception {
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                verifyingLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            long wroteAt = System.nanoTime();
            assertThat(svc.snapshot().lastSync().orElseThrow().result().orElseThrow().restoreInvocations()).isPositive();
            await().atMost(Duration.ofSeconds(3)).until(() -> lastTrigger(svc).equals("verify"));
            var verify = svc.snapshot().lastSync().orElseThrow();
            assertThat(firewall.syncs.get()).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - wroteAt)).isBetween(Duration.ofMillis(800), Duration.ofMillis(2500));
            // it found nothing to do: wrote nothing, and asks for no further verification
            assertThat(verify.result().orElseThrow().restoreInvocations()).isZero();
            Thread.sleep(1800);
            assertThat(firewall.syncs.get()).isEqualTo(2);
        }
    }

    @Test
    void aSyncThatWritesNothingSchedulesNoVerify() throws Exception {
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB))),
                verifyingLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            // an explicit no-op sync before the verify timer fires: it read the kernel back, so it
            // stands in for the verification, and being quiet it schedules none of its own
            var quiet = svc.service.loop().syncNow("api").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(quiet.result().orElseThrow().restoreInvocations()).isZero();
            Thread.sleep(2000);
            assertThat(firewall.syncs.get()).isEqualTo(2);
            assertThat(svc.snapshot().lastSync().orElseThrow().trigger()).isEqualTo("api");
        }
    }

    @Test
    void driftBetweenTheWriteAndTheVerifyIsRepairedByTheVerifyAndCounted() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        try (var svc = new ServiceHarness(firewall, source, verifyingLoop(), Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    firewall.appliedRevision.equals(Optional.of(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision())));
            // someone edits the table right after our write, before the verifying read
            firewall.delete(0);
            firewall.duplicate(1, 2);
            await().atMost(Duration.ofSeconds(3)).until(() -> lastTrigger(svc).equals("verify"));
            var verify = svc.snapshot().lastSync().orElseThrow();
            assertThat(firewall.syncs.get()).isEqualTo(3);
            assertThat(verify.countedAsDrift()).isTrue();
            assertThat(verify.result().orElseThrow().restoreInvocations()).isPositive();
            assertThat(firewall.state(TestPolicies.compile(TestPolicies.WEB_AND_SSH)).inSync()).isTrue();
            assertThat(svc.get("/metrics").body())
                    .contains("fwpolicy_drift_repaired_total{kind=\"missing\"} 1.0")
                    .contains("fwpolicy_drift_repaired_total{kind=\"duplicate\"} 2.0");
            // the repair wrote, so it is verified in turn, and that verification is quiet
            await().atMost(Duration.ofSeconds(3)).until(() -> firewall.syncs.get() == 4
                    && svc.snapshot().lastSync().orElseThrow().at().isAfter(verify.at()));
            Thread.sleep(1500);
            assertThat(firewall.syncs.get()).isEqualTo(4);
            assertThat(svc.snapshot().lastSync().orElseThrow().trigger()).isEqualTo("verify");
            assertThat(svc.snapshot().lastSync().orElseThrow().result().orElseThrow().restoreInvocations()).isZero();
        }
    }

    @Test
    void aQuietVerifyDoesNotUseUpTheRateLimitForTheNextChange() throws Exception {
        var firewall = new FakeFirewall();
        var source = new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
        // one token, refilled every 2 s; the verify 300 ms after the write waits for the refill
        var settings = new LoopSettings(Duration.ofMinutes(10), Duration.ofSeconds(2), 1).withVerifyDelay(Duration.ofMillis(300));
        try (var svc = new ServiceHarness(firewall, source, settings, Optional.empty(), 4096)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> svc.snapshot().ready());
            await().atMost(Duration.ofSeconds(5)).until(() -> lastTrigger(svc).equals("verify"));
            // the quiet verify took no token: a policy change now is applied at once, not ~2 s later
            long start = System.nanoTime();
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(Duration.ofSeconds(3)).until(() ->
                    firewall.appliedRevision.equals(Optional.of(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision())));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200));
        }
    }
}
