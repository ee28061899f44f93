package dev.fwpolicy.sidecar.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.sidecar.http.ApiSettings;
import dev.fwpolicy.sidecar.serve.SidecarOptions;
import dev.fwpolicy.sidecar.serve.SidecarService;
import dev.fwpolicy.sidecar.source.SourceUpdate;
import dev.fwpolicy.sidecar.testing.FakeFirewall;
import dev.fwpolicy.sidecar.testing.ManualSource;
import dev.fwpolicy.sidecar.testing.ServiceHarness;
import dev.fwpolicy.sidecar.testing.TestPolicies;
import dev.fwpolicy.sidecar.testing.VirtualTime;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The loop's promises: coalescing, one sync at a time, a rate limit, reads that never wait, the
 * verify after a write, the retry after a failure. Time is virtual ({@link VirtualTime}): a timer
 * fires when the test moves the clock past it and never otherwise, so "not yet" is checked exactly.
 * {@code await} only waits for work already started (a sync on a worker thread) to finish.
 */
class ReconcileLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ManualSource web() {
        return new ManualSource(List.of(new SourceFile("web.fwpolicy", TestPolicies.WEB)));
    }

    /** Resync and verify far away, so only the syncs a test causes run. */
    private static LoopSettings limited(Duration interval, int burst) {
        return new LoopSettings(Duration.ofMinutes(10), interval, burst).withVerifyDelay(Duration.ofMinutes(10));
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String lastTrigger(ServiceHarness svc) {
        return svc.snapshot().lastSync().map(SyncRecord::trigger).orElse("");
    }

    @Test
    void aBurstOfRequestsDuringASyncFoldsIntoOneMoreSyncAfterTheInterval() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        firewall.clock = time::nanoTime;
        var interval = Duration.ofMillis(300);
        try (var svc = new ServiceHarness(firewall, web(), limited(interval, 2), time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready()); // token 1 of 2
            int before = firewall.syncs.get();
            firewall.hold();
            var requests = new ArrayList<Future<SyncRecord>>();
            requests.add(svc.service.loop().syncNow(SyncTrigger.API)); // token 2: starts at once
            await().atMost(WAIT).until(() -> firewall.running() == 1);
            // 49 more while it runs; they reach the loop before the running sync's result does
            for (int i = 0; i < 49; i++) requests.add(svc.service.loop().syncNow(SyncTrigger.API));
            firewall.release();
            get(requests.get(0));
            // the bucket is empty: the folded requests wait for a refill, on a timer, not by spinning
            await().atMost(WAIT).until(() -> time.pending().size() == 2); // the refill and the resync
            time.advance(interval.minusMillis(1));
            assertThat(firewall.syncs.get() - before).isEqualTo(1);
            assertThat(requests.stream().skip(1).noneMatch(Future::isComplete)).isTrue();

            time.advance(Duration.ofMillis(2));
            for (var f : requests) assertThat(get(f).ok()).isTrue();
            assertThat(firewall.syncs.get() - before).isEqualTo(2);
            assertThat(firewall.maxConcurrent.get()).isEqualTo(1);
            var starts = List.copyOf(firewall.syncStartsNanos);
            assertThat(Duration.ofNanos(starts.get(starts.size() - 1) - starts.get(starts.size() - 2)))
                    .isGreaterThanOrEqualTo(interval);
            assertThat(get(requests.get(49)).trigger()).isEqualTo("api");
        }
    }

    @Test
    void neverTwoSyncsAtOnceEvenWithoutAnInterval() throws Exception {
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, web(), ServiceHarness.fastLoop(), new VirtualTime())) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            int before = firewall.syncs.get();
            firewall.hold();
            var requests = new ArrayList<Future<SyncRecord>>();
            requests.add(svc.service.loop().syncNow(SyncTrigger.API));
            await().atMost(WAIT).until(() -> firewall.running() == 1);
            for (int i = 0; i < 9; i++) requests.add(svc.service.loop().syncNow(SyncTrigger.API));
            firewall.release();
            get(Future.all(requests));
            assertThat(firewall.maxConcurrent.get()).isEqualTo(1);
            // the running one plus one for the nine that arrived meanwhile
            assertThat(firewall.syncs.get() - before).isEqualTo(2);
        }
    }

    @Test
    void aBurstOfTwoThenOnePerInterval() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        var interval = Duration.ofMillis(500);
        var source = new ManualSource(List.of());
        try (var svc = new ServiceHarness(firewall, source, limited(interval, 2), time)) {
            source.load("web.fwpolicy", TestPolicies.WEB);
            await().atMost(WAIT).until(() -> svc.snapshot().ready()); // token 1 of 2
            get(svc.service.loop().syncNow(SyncTrigger.API)); // token 2, with the clock standing still
            var third = svc.service.loop().syncNow(SyncTrigger.API);
            await().atMost(WAIT).until(() -> time.pending().size() == 2);
            time.advance(interval.minusMillis(1));
            assertThat(third.isComplete()).isFalse();
            time.advance(Duration.ofMillis(2));
            assertThat(get(third).ok()).isTrue();
            assertThat(firewall.syncs.get()).isEqualTo(3);
            assertThat(firewall.maxConcurrent.get()).isEqualTo(1);
        }
    }

    @Test
    void readsDoNotWaitForARunningSync() throws Exception {
        var firewall = new FakeFirewall();
        var source = web();
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), new VirtualTime())) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            firewall.hold();
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(WAIT).until(() -> firewall.running() == 1);
            // the sync cannot finish until released: reads that waited for it would never answer
            var status = CompletableFuture.supplyAsync(() -> svc.get("/v1/status")).get(10, TimeUnit.SECONDS);
            var rules = CompletableFuture.supplyAsync(() -> svc.get("/v1/rules")).get(10, TimeUnit.SECONDS);
            assertThat(status.status()).isEqualTo(200);
            assertThat(rules.status()).isEqualTo(200);
            // the new policy is loaded, the old one is still the applied one while the sync runs
            var json = status.json();
            assertThat(json.getJsonObject("policy").getString("revision")).isEqualTo(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision());
            assertThat(json.getString("appliedRevision")).isEqualTo(TestPolicies.compile(TestPolicies.WEB).revision());
            assertThat(json.getBoolean("inForce")).isFalse();
            firewall.release();
            await().atMost(WAIT).until(() -> svc.get("/v1/status").json().getBoolean("inForce"));
        }
    }

    @Test
    void periodicResyncRepairsDriftAndCountsItByKind() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        var settings = new LoopSettings(Duration.ofMinutes(1), Duration.ZERO).withVerifyDelay(Duration.ofMinutes(10));
        try (var svc = new ServiceHarness(firewall, web(), settings, time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            firewall.delete(0);
            firewall.addJunk("FWP-IN");
            time.advance(Duration.ofSeconds(59));
            assertThat(firewall.syncs.get()).isEqualTo(1);
            time.advance(Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> firewall.inspect(TestPolicies.compile(TestPolicies.WEB), false).plan().problems().isEmpty());
            await().atMost(WAIT).untilAsserted(() -> assertThat(svc.get("/metrics").body())
                    .contains("fwpolicy_drift_repaired_total{kind=\"missing-jump\"} 1.0")
                    .contains("fwpolicy_drift_repaired_total{kind=\"unknown\"} 1.0"));
            assertThat(lastTrigger(svc)).isEqualTo("resync");
            // and it comes again a period later
            time.advance(Duration.ofMinutes(1));
            await().atMost(WAIT).until(() -> firewall.syncs.get() == 3);
        }
    }

    @Test
    void aPolicyChangeIsNotCountedAsDrift() throws Exception {
        var firewall = new FakeFirewall();
        var source = web();
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), new VirtualTime())) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(WAIT).until(() ->
                    firewall.appliedRevision.equals(Optional.of(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision())));
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(svc.get("/metrics").body()).contains("fwpolicy_syncs_total{result=\"ok\"} 2.0")
                            .contains("fwpolicy_drift_repaired_total{kind=\"missing\"} 0.0"));
        }
    }

    @Test
    void aFailedSyncIsRetriedAfterASecondDoublingPerFailure() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        firewall.failWith = Optional.of("iptables-restore: Resource temporarily unavailable");
        try (var svc = new ServiceHarness(firewall, web(), ServiceHarness.fastLoop(), time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().lastSync().isPresent());
            assertThat(svc.snapshot().ready()).isFalse();
            // resync is 10 minutes away; the retry comes after 1 s, the next one 2 s after that
            time.advance(Duration.ofMillis(999));
            assertThat(firewall.syncs.get()).isEqualTo(1);
            time.advance(Duration.ofMillis(1));
            await().atMost(WAIT).until(() -> firewall.syncs.get() == 2 && lastTrigger(svc).equals("retry"));
            await().atMost(WAIT).until(() -> time.pending().get(0).equals(Duration.ofSeconds(2)));
            firewall.failWith = Optional.empty();
            time.advance(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            assertThat(svc.snapshot().lastSuccess().orElseThrow().trigger()).isEqualTo("retry");
            assertThat(svc.get("/metrics").body()).contains("fwpolicy_syncs_total{result=\"failed\"} 2.0");
        }
    }

    @Test
    void aCompilerOutOfMemorySaysToRaiseTheLimitAndAppliesNothing() throws Exception {
        var firewall = new FakeFirewall();
        var compiler = new PrimedCompile(files -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        });
        try (var svc = new ServiceHarness(firewall, web(), ServiceHarness.fastLoop(), compiler)) {
            await().atMost(WAIT).until(() -> svc.snapshot().problem().isPresent());
            assertThat(svc.snapshot().problem().get().message()).contains("ran out of memory", "raise the memory limit");
            assertThat(svc.snapshot().ready()).isFalse();
            assertThat(firewall.syncs.get()).isZero();
        }
    }

    @Test
    void sameContentAgainDoesNotSync() throws Exception {
        var firewall = new FakeFirewall();
        var source = web();
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), new VirtualTime())) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            source.load("web.fwpolicy", TestPolicies.BROKEN);
            await().atMost(WAIT).until(() -> svc.snapshot().problem().isPresent());
            source.load("web.fwpolicy", TestPolicies.WEB);
            await().atMost(WAIT).until(() -> svc.snapshot().problem().isEmpty());
            // had the reload asked for a sync, this request would fold into it or follow it
            var next = get(svc.service.loop().syncNow(SyncTrigger.API));
            assertThat(next.trigger()).isEqualTo("api");
            assertThat(firewall.syncs.get()).isEqualTo(2);
        }
    }

    @Test
    void sourceGoneKeepsTheRulesAndSaysSo() throws Exception {
        var firewall = new FakeFirewall();
        var source = web();
        try (var svc = new ServiceHarness(firewall, source, ServiceHarness.fastLoop(), new VirtualTime())) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            int lines = firewall.lines().size();
            source.push(new SourceUpdate.Gone("ConfigMap default/web was deleted"));
            await().atMost(WAIT).until(() -> svc.snapshot().sourceGone().isPresent());
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
                var options = SidecarOptions.of(ServiceHarness.fastLoop(), new ApiSettings("127.0.0.1", 0, Optional.empty(), 4096))
                        .withRemoveOnExit(remove).withTime(new VirtualTime());
                var service = get(SidecarService.start(vertx, registry, firewall, web(), options));
                await().atMost(WAIT).until(() -> service.loop().snapshot().ready());
                get(service.stop());
                if (remove) assertThat(firewall.lines()).isEmpty();
                else assertThat(firewall.lines()).hasSize(TestPolicies.compile(TestPolicies.WEB).ruleCount());
            } finally {
                get(vertx.close());
            }
        }
    }

    // ---- the verify sync after a write (the reconciler verifies on its next read) ----

    private static LoopSettings verifyingLoop() {
        return new LoopSettings(Duration.ofMinutes(10), Duration.ZERO).withVerifyDelay(Duration.ofSeconds(1));
    }

    @Test
    void aWriteIsFollowedByExactlyOneQuietVerifySync() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, web(), verifyingLoop(), time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            assertThat(svc.snapshot().lastSync().orElseThrow().result().orElseThrow().restoreInvocations()).isPositive();
            time.advance(Duration.ofMillis(999));
            assertThat(firewall.syncs.get()).isEqualTo(1);
            time.advance(Duration.ofMillis(1));
            await().atMost(WAIT).until(() -> lastTrigger(svc).equals("verify"));
            var verify = svc.snapshot().lastSync().orElseThrow();
            assertThat(firewall.syncs.get()).isEqualTo(2);
            // it found nothing to do: wrote nothing, and asks for no further verification
            assertThat(verify.result().orElseThrow().restoreInvocations()).isZero();
            assertThat(time.pending()).hasSize(1); // the resync only
            time.advance(Duration.ofMinutes(5));
            assertThat(firewall.syncs.get()).isEqualTo(2);
        }
    }

    @Test
    void aSyncThatWritesNothingReplacesThePendingVerify() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        try (var svc = new ServiceHarness(firewall, web(), verifyingLoop(), time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            // an explicit no-op sync before the verify timer fires: it read the kernel back, so it
            // stands in for the verification, and being quiet it schedules none of its own
            var quiet = get(svc.service.loop().syncNow(SyncTrigger.API));
            assertThat(quiet.result().orElseThrow().restoreInvocations()).isZero();
            assertThat(time.pending()).hasSize(1);
            time.advance(Duration.ofMinutes(5));
            assertThat(firewall.syncs.get()).isEqualTo(2);
            assertThat(lastTrigger(svc)).isEqualTo("api");
        }
    }

    @Test
    void driftBetweenTheWriteAndTheVerifyIsRepairedByTheVerifyAndCounted() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        var source = web();
        try (var svc = new ServiceHarness(firewall, source, verifyingLoop(), time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(WAIT).until(() -> firewall.syncs.get() == 2 && svc.snapshot().inForce());
            // someone edits the table right after our write, before the verifying read
            firewall.delete(0);
            firewall.duplicate(1, 2);
            time.advance(Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> lastTrigger(svc).equals("verify"));
            var verify = svc.snapshot().lastSync().orElseThrow();
            assertThat(firewall.syncs.get()).isEqualTo(3);
            assertThat(verify.countedAsDrift()).isTrue();
            assertThat(verify.result().orElseThrow().restoreInvocations()).isPositive();
            assertThat(firewall.inspect(TestPolicies.compile(TestPolicies.WEB_AND_SSH), false).plan().problems().isEmpty()).isTrue();
            assertThat(svc.get("/metrics").body())
                    .contains("fwpolicy_drift_repaired_total{kind=\"missing-jump\"} 1.0")
                    .contains("fwpolicy_drift_repaired_total{kind=\"duplicate\"} 2.0");
            // the repair wrote, so it is verified in turn, and that verification is quiet
            time.advance(Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> firewall.syncs.get() == 4
                    && svc.snapshot().lastSync().orElseThrow().at().isAfter(verify.at()));
            assertThat(lastTrigger(svc)).isEqualTo("verify");
            assertThat(svc.snapshot().lastSync().orElseThrow().result().orElseThrow().restoreInvocations()).isZero();
            time.advance(Duration.ofMinutes(5));
            assertThat(firewall.syncs.get()).isEqualTo(4);
        }
    }

    @Test
    void aQuietVerifyDoesNotUseUpTheRateLimitForTheNextChange() throws Exception {
        var time = new VirtualTime();
        var firewall = new FakeFirewall();
        var source = web();
        // one token, refilled every 2 s; the verify 300 ms after the write waits for the refill
        var settings = new LoopSettings(Duration.ofMinutes(10), Duration.ofSeconds(2), 1).withVerifyDelay(Duration.ofMillis(300));
        try (var svc = new ServiceHarness(firewall, source, settings, time)) {
            await().atMost(WAIT).until(() -> svc.snapshot().ready());
            time.advance(Duration.ofMillis(300));
            await().atMost(WAIT).until(() -> time.pending().size() == 2); // the refill and the resync
            time.advance(Duration.ofSeconds(2));
            await().atMost(WAIT).until(() -> lastTrigger(svc).equals("verify"));
            // the quiet verify took no token: a policy change now is applied with the clock standing still
            source.load("web.fwpolicy", TestPolicies.WEB_AND_SSH);
            await().atMost(WAIT).until(() ->
                    firewall.appliedRevision.equals(Optional.of(TestPolicies.compile(TestPolicies.WEB_AND_SSH).revision())));
        }
    }
}
