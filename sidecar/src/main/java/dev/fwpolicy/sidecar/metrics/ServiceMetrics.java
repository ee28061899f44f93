package dev.fwpolicy.sidecar.metrics;

import dev.fwpolicy.sidecar.loop.ActivePolicy;
import dev.fwpolicy.engine.reconcile.DriftStatus;
import dev.fwpolicy.sidecar.fleet.LeaseWrites;
import dev.fwpolicy.sidecar.loop.LoopEvents;
import dev.fwpolicy.sidecar.loop.SyncRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's own Prometheus metrics (Vert.x adds its HTTP server metrics to the same
 * registry). Names follow kube-proxy's lead ({@code sync_proxy_rules_duration_seconds}) so
 * the usual dashboards translate.
 */
public final class ServiceMetrics implements LoopEvents, LeaseWrites {
    private final MeterRegistry registry;
    private final Timer syncDuration;
    private final Timer memberUpdates;
    private final Counter syncsOk;
    private final Counter syncsFailed;
    private final AtomicLong rulesDesired = new AtomicLong();
    private final AtomicLong rulesApplied = new AtomicLong();
    private final AtomicLong lastSuccessEpochMillis = new AtomicLong();
    private final Counter leaseWritesOk;
    private final Counter leaseWritesFailed;

    private final RuleHitMetrics ruleHits;

    /** With at most 2,000 rule-hit series ({@code --rule-metrics-max}'s default). */
    public ServiceMetrics(MeterRegistry registry) {
        this(registry, DEFAULT_RULE_SERIES);
    }

    public static final int DEFAULT_RULE_SERIES = 2000;

    /** @param ruleSeriesMax the most {@code fwpolicy_rule_packets_total} series (and as many bytes series) */
    public ServiceMetrics(MeterRegistry registry, int ruleSeriesMax) {
        this.registry = registry;
        this.ruleHits = new RuleHitMetrics(registry, ruleSeriesMax);
        // Explicit buckets: a no-op sync is milliseconds, a 10k-rule first apply seconds.
        this.syncDuration = Timer.builder("fwpolicy.sync.duration")
                .description("Time of a sync: read back, plan, restore, verify")
                .serviceLevelObjectives(ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000), ms(2500),
                        ms(5000), ms(10000), ms(30000))
                .register(registry);
        this.memberUpdates = Timer.builder("fwpolicy.members.update.duration")
                .description("Time from a cluster event (pod, namespace, EndpointSlice) seen by the watch to the changed members in the kernel")
                .serviceLevelObjectives(ms(10), ms(25), ms(50), ms(100), ms(200), ms(500), ms(1000), ms(2500), ms(5000))
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.syncsOk = syncs("ok");
        this.syncsFailed = syncs("failed");
        Gauge.builder("fwpolicy.rules.desired", rulesDesired, AtomicLong::get)
                .description("Rules in the policy in force (last good)").register(registry);
        Gauge.builder("fwpolicy.rules.applied", rulesApplied, AtomicLong::get)
                .description("Rules the kernel held in fwpolicy's chains after the last successful sync").register(registry);
        Gauge.builder("fwpolicy.last.successful.sync.timestamp", lastSuccessEpochMillis, v -> v.get() / 1000.0)
                .baseUnit("seconds").description("Unix time of the last successful sync (0: none yet)").register(registry);
        this.leaseWritesOk = leaseWrites("ok");
        this.leaseWritesFailed = leaseWrites("failed");
        for (var status : DriftStatus.values()) if (status.isDrift()) drift(status.label());
        for (var reason : new String[] {"PolicyInvalid", "PolicyLockout", "SourceUnreadable"}) reloadFailures(reason);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private Counter syncs(String result) {
        return Counter.builder("fwpolicy.syncs").description("Syncs by result").tag("result", result).register(registry);
    }

    private Counter leaseWrites(String result) {
        return Counter.builder("fwpolicy.lease.writes")
                .description("Writes of this sidecar's enforcement Lease by result (ConfigMap mode; a failure never holds back a sync)")
                .tag("result", result).register(registry);
    }

    @Override
    public void leaseWritten() {
        leaseWritesOk.increment();
    }

    @Override
    public void leaseWriteFailed() {
        leaseWritesFailed.increment();
    }

    private Counter drift(String kind) {
        return Counter.builder("fwpolicy.drift.repaired")
                .description("Kernel drift found and repaired while the policy was unchanged, by drift status")
                .tag("kind", kind).register(registry);
    }

    private Counter reloadFailures(String reason) {
        return Counter.builder("fwpolicy.reload.failures")
                .description("Policy inputs rejected (the last good rules stayed in force)")
                .tag("reason", reason).register(registry);
    }

    @Override
    public void syncSucceeded(SyncRecord record) {
        var result = record.result().orElseThrow();
        syncDuration.record(record.duration());
        syncsOk.increment();
        rulesApplied.set(result.applied());
        lastSuccessEpochMillis.set(record.at().toEpochMilli());
        if (record.countedAsDrift()) {
            for (Map.Entry<DriftStatus, Integer> e : result.found().entrySet()) {
                if (e.getValue() > 0) drift(e.getKey().label()).increment(e.getValue());
            }
        }
    }

    @Override
    public void syncFailed(SyncRecord record) {
        syncDuration.record(record.duration());
        syncsFailed.increment();
    }

    @Override
    public void policyLoaded(ActivePolicy policy) {
        rulesDesired.set(policy.ruleSet().ruleCount());
    }

    @Override
    public void hitsCounted(dev.fwpolicy.sidecar.loop.HitTotals totals) {
        ruleHits.update(totals);
    }

    @Override
    public void membersApplied(Duration sinceEvent) {
        memberUpdates.record(sinceEvent);
    }

    @Override
    public void reloadFailed(String reason) {
        reloadFailures(reason).increment();
    }
}
