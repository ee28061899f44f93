package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.reconcile.KernelView;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.sidecar.source.ClusterFeed;
import dev.fwpolicy.sidecar.source.ClusterWatchStatus;
import dev.fwpolicy.sidecar.source.PolicyProblem;
import dev.fwpolicy.sidecar.source.PolicySource;
import dev.fwpolicy.sidecar.source.SourceUpdate;
import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.eval.LockoutGuard;
import dev.fwpolicy.engine.source.SourceFile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides when the kernel is synced. Inputs (a new policy from the source,
 * the periodic resync, an explicit sync over HTTP) only mark a sync as wanted; the loop runs at
 * most one sync at a time, no sooner than {@code minSyncInterval} after the previous one
 * started, and folds every request that arrives meanwhile into the next one.
 *
 * <p>All fields below are touched only on this verticle's event loop; the blocking work
 * (compiling, running iptables) goes through {@code executeBlocking} and its result comes back
 * here. Readers get {@link #snapshot()}, an immutable value swapped atomically, so an HTTP
 * request never waits for a sync.
 */
public final class ReconcileLoop extends VerticleBase {
    private static final System.Logger LOG = System.getLogger("fwpolicy.loop");

    private final FirewallSync firewall;
    private final PolicySource source;
    private final LoopSettings settings;
    private final LoopEvents metrics;
    private final PrimedCompile policyCompiler;
    private final LockoutGuard guard;
    private final LoopTime time;
    private final SyncRateLimit rateLimit;
    /** Syncs that only carry new members of dynamic sets: their own, faster bucket (see LoopSettings). */
    private final SyncRateLimit memberRateLimit;
    private final ClusterFeed cluster;

    private volatile ServiceSnapshot snapshot;
    private final HitLedger hits;
    private Context loopContext;

    private Optional<ActivePolicy> desired = Optional.empty();
    /** The rule set the last successful sync applied: a sync of another one is not drift repair. */
    private Optional<RuleSet> lastApplied = Optional.empty();
    /** The newest policy input not yet adopted or rejected (possibly waiting for the cluster watches). */
    private Optional<SourceUpdate.Loaded> pendingLoad = Optional.empty();
    /** The input of the policy in force: compiled again when the cluster's members change. */
    private Optional<SourceUpdate.Loaded> adoptedLoad = Optional.empty();
    private boolean compiling;
    private boolean compileAgain;
    /** nanoTime of the first cluster event not yet in a compile, or -1. */
    private long pendingEventNanos = -1;
    /** nanoTime of the first cluster event the desired policy's members carry, until synced, or -1. */
    private long desiredEventNanos = -1;
    private boolean heldLogged;
    private boolean syncing;
    private boolean wanted;
    private final Set<SyncTrigger> wantedBy = new LinkedHashSet<>();
    private List<Promise<SyncRecord>> waiters = new ArrayList<>();
    private long timerId = -1;
    private long periodicId = -1;
    private long retryId = -1;
    private long verifyId = -1;
    private long heartbeatId = -1;
    private volatile long lastTickNanos = System.nanoTime();
    private int consecutiveFailures;
    private Promise<Void> idle = promiseDone();

    /**
     * @param policyCompiler possibly already compiling the first policy (see {@link PrimedCompile})
     * @param guard          refuses a policy that would cut off a must-pass flow, like one that does not compile
     * @param time           the clock and timers ({@link LoopTime#system()} outside tests)
     */
    public ReconcileLoop(FirewallSync firewall, PolicySource source, LoopSettings settings, LoopEvents metrics,
                         BackendInfo backend, PrimedCompile policyCompiler, LockoutGuard guard, LoopTime time) {
        this(firewall, source, settings, metrics, backend, policyCompiler, guard, time, ClusterFeed.fixed(ClusterInput.NONE));
    }

    /**
     * @param cluster where dynamic sets' members come from; {@code policyCompiler} must compile
     *                with its {@link ClusterFeed#input()}
     */
    public ReconcileLoop(FirewallSync firewall, PolicySource source, LoopSettings settings, LoopEvents metrics,
                         BackendInfo backend, PrimedCompile policyCompiler, LockoutGuard guard, LoopTime time, ClusterFeed cluster) {
        this.cluster = cluster;
        this.memberRateLimit = new SyncRateLimit(settings.memberSyncInterval(), settings.burst(), time::nanoTime);
        this.policyCompiler = policyCompiler;
        this.guard = guard;
        this.time = time;
        this.rateLimit = new SyncRateLimit(settings.minSyncInterval(), settings.burst(), time::nanoTime);
        this.firewall = firewall;
        this.source = source;
        this.settings = settings;
        this.metrics = metrics;
        this.snapshot = ServiceSnapshot.initial(time.now(), source.description(), backend, guard.flows());
        this.hits = new HitLedger(snapshot.startedAt());
    }

    private static Promise<Void> promiseDone() {
        Promise<Void> p = Promise.promise();
        p.complete();
        return p;
    }

    @Override
    public Future<?> start() {
        loopContext = context;
        lastTickNanos = System.nanoTime();
        // Real time, not the loop's (possibly virtual) clock: liveness is about this thread running.
        heartbeatId = vertx.setPeriodic(1000, id -> lastTickNanos = System.nanoTime());
        scheduleResync();
        LOG.log(Level.INFO, "watching {0}; resync every {1} s; up to {2} syncs back to back, then one per {3} ms",
                source.description(), settings.resync().toSeconds(), settings.burst(), settings.minSyncInterval().toMillis());
        for (var f : guard.flows()) {
            LOG.log(Level.INFO, "must-pass flow (from {0}): {1}; a policy that cuts it off is refused", f.origin(), f.text());
        }
        return cluster.start(vertx, this::onClusterChanged).compose(v -> source.start(vertx, this::onSourceUpdate));
    }

    private void scheduleResync() {
        periodicId = time.setTimer(settings.resync(), () -> {
            source.poll();
            want(SyncTrigger.RESYNC, Optional.empty());
            scheduleResync();
        });
    }

    @Override
    public Future<?> stop() {
        time.cancelTimer(periodicId);
        if (timerId != -1) time.cancelTimer(timerId);
        if (retryId != -1) time.cancelTimer(retryId);
        if (verifyId != -1) time.cancelTimer(verifyId);
        vertx.cancelTimer(heartbeatId);
        wanted = false;
        // A sync in flight finishes (it is one transaction either way); the rules stay in force.
        return source.stop().recover(e -> Future.succeededFuture())
                .compose(v -> cluster.stop().recover(e -> Future.succeededFuture()))
                .compose(v -> idle.future());
    }

    /** The cluster watches' state, where members are followed through the API server. */
    public Optional<ClusterWatchStatus> clusterStatus() {
        return cluster.status();
    }

    /** The latest state, for readers on any thread. */
    public ServiceSnapshot snapshot() {
        return snapshot;
    }

    /** Asks for a sync and completes with its record (which may fold in other requests). */
    public Future<SyncRecord> syncNow(SyncTrigger trigger) {
        Promise<SyncRecord> promise = Promise.promise();
        loopContext.runOnContext(v -> want(trigger, Optional.of(promise)));
        return promise.future();
    }

    /**
     * The kernel now, read once and classified against the policy in force (what a sync would
     * change, every owned rule's status, counters when asked). Does not wait for the loop.
     */
    public Future<KernelView> inspect(boolean withCounters) {
        return withPolicy().compose(p -> vertx.executeBlocking(() -> firewall.inspect(p.ruleSet(), withCounters), false));
    }

    /**
     * How long ago this loop's thread last ran its heartbeat (every second). Liveness: the loop
     * must keep repairing whatever the HTTP side suffers, and a loop whose thread is stuck or gone
     * must show in /healthz. Wall time on purpose: a stalled thread is a real-world fact.
     */
    public Duration sinceLastTick() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastTickNanos));
    }

    private Future<ActivePolicy> withPolicy() {
        return snapshot.policy().map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new NoPolicyException("no policy has been loaded yet")));
    }

    // ---- source updates (on the loop) ----

    private void onSourceUpdate(SourceUpdate update) {
        if (update instanceof SourceUpdate.Loaded loaded) {
            pendingLoad = Optional.of(loaded);
            heldLogged = false;
            compileNext();
        } else if (update instanceof SourceUpdate.Gone gone) {
            LOG.log(Level.WARNING, "policy source gone ({0}); the last rules stay in force{1}", gone.reason(),
                    desired.map(p -> " (revision " + p.revision() + ")").orElse(""));
            snapshot = snapshot.withSourceGone(gone.reason());
        } else if (update instanceof SourceUpdate.Unreadable bad) {
            reject(new PolicyProblem(time.now(), "SourceUnreadable", bad.message(), List.of()));
        }
    }

    /** The cluster's members changed: compile the newest input again with them. */
    private void onClusterChanged(long eventNanos) {
        if (pendingEventNanos == -1 || eventNanos - pendingEventNanos < 0) pendingEventNanos = eventNanos;
        compileNext();
    }

    /**
     * Compiles the newest input (a new policy, else the one in force with the cluster's latest
     * members). One compile at a time: whatever arrives meanwhile is folded into the next one,
     * so the newest input and the newest members win and a burst of pod events costs one compile.
     */
    private void compileNext() {
        var next = pendingLoad.or(() -> adoptedLoad);
        if (next.isEmpty()) return;
        if (compiling) {
            compileAgain = true;
            return;
        }
        compiling = true;
        var loaded = next.get();
        boolean isNew = pendingLoad.isPresent();
        boolean membersKnown = cluster.input().membersKnown();
        long eventNanos = pendingEventNanos;
        pendingEventNanos = -1;
        vertx.executeBlocking(() -> guard.apply(policyCompiler.compile(loaded.files())), false).onComplete(ar -> {
            compiled(loaded, isNew, membersKnown, eventNanos, ar);
            compiling = false;
            if (compileAgain) {
                compileAgain = false;
                compileNext();
            }
        });
    }

    private void compiled(SourceUpdate.Loaded loaded, boolean isNew, boolean membersKnown, long eventNanos,
                          io.vertx.core.AsyncResult<CompileResult> ar) {
        if (isNew && !pendingLoad.equals(Optional.of(loaded))) return; // a newer input arrived meanwhile: it is compiled next
        if (ar.failed()) {
            String why = ar.cause() instanceof OutOfMemoryError
                    ? "the compiler ran out of memory (max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                            + " MB; sidecar/jvm.options sets it to half the container's memory): raise the memory limit"
                    : "compiler failed: " + ar.cause();
            if (isNew) {
                pendingLoad = Optional.empty();
                followPolicyInForce();
            }
            reject(new PolicyProblem(time.now(), "PolicyInvalid", why, List.of()));
            return;
        }
        CompileResult result = ar.result();
        if (result.hasErrors() || result.ruleSet().isEmpty()) {
            if (isNew) {
                pendingLoad = Optional.empty();
                followPolicyInForce();
            }
            long lockouts = result.diagnostics().stream().filter(d -> d.code().equals(LockoutGuard.CODE)).count();
            reject(lockouts > 0
                    ? new PolicyProblem(time.now(), "PolicyLockout", loaded.description() + " would cut off " + lockouts
                            + " must-pass flow(s); the last good rules stay in force", result.diagnostics())
                    : new PolicyProblem(time.now(), "PolicyInvalid",
                            result.errorsText() + " in " + loaded.description() + "; the last good rules stay in force",
                            result.diagnostics()));
            return;
        }
        var ruleSet = result.ruleSet().get();
        var follows = ClusterFeed.followedBy(ruleSet);
        // While a new policy waits for its informers, the one in force keeps its own (an informer
        // that cannot list, say for want of RBAC, must not freeze the members in force): watch both.
        var watchFor = follows;
        if (isNew && desired.isPresent()) {
            var both = new java.util.HashSet<>(follows);
            both.addAll(ClusterFeed.followedBy(desired.get().ruleSet()));
            watchFor = Set.copyOf(both);
        }
        boolean covered = cluster.follow(watchFor);
        if (!follows.isEmpty() && !(covered && membersKnown)) {
            // Its dynamic sets would be empty only because the watches have not listed yet: the
            // rules in force stay until they have (the feed says so, and this compiles again).
            if (!heldLogged) {
                heldLogged = true;
                LOG.log(Level.INFO, "policy revision {0} from {1} waits for the cluster watches to list the members of {2} set(s)",
                        ruleSet.revision(), loaded.description(), follows.size());
            }
            if (eventNanos != -1 && (pendingEventNanos == -1 || eventNanos - pendingEventNanos < 0)) pendingEventNanos = eventNanos;
            return;
        }
        var policy = new ActivePolicy(ruleSet, loaded.files().stream().map(SourceFile::name).toList(),
                loaded.description(), time.now(), result.diagnostics(), loaded.version(), loaded.observedAt());
        boolean sameRevision = desired.map(p -> p.revision().equals(ruleSet.revision())).orElse(false);
        boolean sameMembers = desired.map(p -> p.ruleSet().sets().equals(ruleSet.sets())).orElse(false);
        if (isNew) {
            pendingLoad = Optional.empty();
            adoptedLoad = Optional.of(loaded);
            // The policy it replaces needs its informers no longer.
            if (!watchFor.equals(follows)) cluster.follow(follows);
        }
        if (sameRevision && !sameMembers && !isNew) {
            // Only members moved: the rules and their identities are the same, the sets are not.
            desired = Optional.of(policy);
            snapshot = snapshot.withMembers(policy);
            if (eventNanos != -1 && desiredEventNanos == -1) desiredEventNanos = eventNanos;
            LOG.log(Level.DEBUG, "members of dynamic sets changed (revision {0})", ruleSet.revision());
            want(SyncTrigger.MEMBERS, Optional.empty());
            return;
        }
        desired = Optional.of(policy);
        snapshot = snapshot.withPolicy(policy);
        metrics.policyLoaded(policy);
        if (sameRevision && sameMembers) return; // e.g. a symlink swap to identical content, or the informer's resync
        if (eventNanos != -1 && desiredEventNanos == -1) desiredEventNanos = eventNanos;
        LOG.log(Level.INFO, "policy revision {0} loaded from {1}: {2} rule(s), {3} warning(s)", ruleSet.revision(),
                loaded.description(), ruleSet.ruleCount(), result.warningCount());
        want(sameRevision ? SyncTrigger.MEMBERS : SyncTrigger.POLICY, Optional.empty());
    }

    /**
     * A newer input was refused: watch what the policy in force follows again (an input that
     * waited for new informers may have replaced them). If that needs a list, the feed says
     * so when it is done and the policy in force is compiled again with its members.
     */
    private void followPolicyInForce() {
        desired.ifPresent(p -> cluster.follow(ClusterFeed.followedBy(p.ruleSet())));
    }

    private void reject(PolicyProblem problem) {
        var first = problem.diagnostics().stream().filter(Diagnostic::isError).limit(5).map(Diagnostic::headline).toList();
        LOG.log(Level.WARNING, "policy rejected ({0}): {1}{2}", problem.reason(), problem.message(),
                first.isEmpty() ? "" : "\n  " + String.join("\n  ", first));
        snapshot = snapshot.withProblem(problem);
        metrics.reloadFailed(problem.reason());
        metrics.policyRejected(problem);
        source.rejected(problem);
    }

    // ---- the sync machine (on the loop) ----

    private void want(SyncTrigger trigger, Optional<Promise<SyncRecord>> waiter) {
        wanted = true;
        wantedBy.add(trigger);
        waiter.ifPresent(waiters::add);
        schedule();
    }

    /** Member-only syncs (with at most a verify folded in) take the member bucket; anything else the main one. */
    private SyncRateLimit bucket() {
        boolean membersOnly = wantedBy.contains(SyncTrigger.MEMBERS)
                && Set.of(SyncTrigger.MEMBERS, SyncTrigger.VERIFY).containsAll(wantedBy);
        return membersOnly ? memberRateLimit : rateLimit;
    }

    private void schedule() {
        if (!wanted || syncing || timerId != -1) return;
        var wait = bucket().untilNext();
        if (wait.isZero()) {
            runSync();
        } else {
            timerId = time.setTimer(wait, () -> {
                timerId = -1;
                runSync();
            });
        }
    }

    /**
     * A failed sync is tried again sooner than the next resync: after 1 s, doubling per failure,
     * never later than the resync period (a kernel that keeps refusing is not hammered).
     */
    private void scheduleRetry() {
        consecutiveFailures++;
        long delay = Math.min(settings.resync().toMillis(), 1000L << Math.min(consecutiveFailures - 1, 16));
        if (retryId != -1) time.cancelTimer(retryId);
        retryId = time.setTimer(Duration.ofMillis(delay), () -> {
            retryId = -1;
            want(SyncTrigger.RETRY, Optional.empty());
        });
    }

    /**
     * The reconciler trusts a committed restore and verifies on its next read-back; after a
     * sync that wrote, that read-back is asked for {@code verifyDelay} later (through the usual
     * coalescing and rate limit) rather than left to the periodic resync. Any successful sync
     * in between has read the kernel back, so it replaces a pending verification: one verify
     * per write, none after a sync that wrote nothing.
     */
    private void scheduleVerify(boolean wrote) {
        if (verifyId != -1) {
            time.cancelTimer(verifyId);
            verifyId = -1;
        }
        if (!wrote) return;
        verifyId = time.setTimer(settings.verifyDelay(), () -> {
            verifyId = -1;
            want(SyncTrigger.VERIFY, Optional.empty());
        });
    }

    /** The error as /v1/status shows it: a rejected 10,000-rule payload belongs in the log, not in every poll. */
    private static String capped(String message) {
        return message.length() <= 8192 ? message : message.substring(0, 8192) + "\n… (truncated; the full text is in the log)";
    }

    private void runSync() {
        if (!wanted || syncing) return;
        var limit = bucket();
        if (!limit.untilNext().isZero()) {
            schedule();
            return;
        }
        var triggers = List.copyOf(wantedBy);
        // A verify alone is charged only if it writes (below): verifies are bounded by the writes,
        // which are charged, and a free one does not hold back the next policy change.
        boolean verifyOnly = wantedBy.equals(Set.of(SyncTrigger.VERIFY));
        var promises = waiters;
        wanted = false;
        wantedBy.clear();
        waiters = new ArrayList<>();
        if (desired.isEmpty()) {
            promises.forEach(p -> p.fail(new NoPolicyException("no policy has been loaded yet")));
            return;
        }
        var policy = desired.get();
        // Drift is what changed in the kernel while the policy (and its members) stayed the same.
        boolean policyUnchanged = lastApplied.map(r -> r == policy.ruleSet()).orElse(false);
        // This sync applies every cluster event the policy's members carry: it, and only it, is
        // timed for them (a newer event folded into a later compile waits for the next sync).
        long eventNanos = desiredEventNanos;
        desiredEventNanos = -1;
        syncing = true;
        idle = Promise.promise();
        long startNanos = time.nanoTime();
        if (!verifyOnly) limit.take();
        Instant at = time.now();
        vertx.executeBlocking(() -> firewall.sync(policy.ruleSet()), false).onComplete(ar -> {
            var took = Duration.ofNanos(time.nanoTime() - startNanos);
            SyncRecord record;
            if (ar.succeeded()) {
                record = new SyncRecord(at, took, triggers, policy.revision(), Optional.of(ar.result()), Optional.empty(),
                        policyUnchanged);
                metrics.syncSucceeded(record);
                var c = ar.result().counts();
                boolean membersOnly = triggers.contains(SyncTrigger.MEMBERS) && !triggers.contains(SyncTrigger.POLICY) && c.isQuiet();
                if (!c.isQuiet() || (!policyUnchanged && !membersOnly)) {
                    LOG.log(Level.INFO, "sync ({0}) revision {1}: added {2}, removed {3}, moved {4}, repaired {5}, unchanged {6} in {7} ms",
                            record.trigger(), policy.revision(), c.added(), c.removed(), c.moved(), c.repaired(), c.unchanged(), took.toMillis());
                }
            } else {
                record = new SyncRecord(at, took, triggers, policy.revision(), Optional.empty(),
                        Optional.of(capped(String.valueOf(ar.cause().getMessage()))), policyUnchanged);
                metrics.syncFailed(record);
                LOG.log(Level.ERROR, "sync (" + record.trigger() + ") of revision " + policy.revision()
                        + " failed; the rules of the last successful sync stay in force", ar.cause());
                scheduleRetry();
                // Not in the kernel yet: the next sync is timed from that event (the oldest still pending).
                if (eventNanos != -1 && (desiredEventNanos == -1 || eventNanos - desiredEventNanos < 0)) desiredEventNanos = eventNanos;
            }
            if (ar.succeeded()) {
                consecutiveFailures = 0;
                lastApplied = Optional.of(policy.ruleSet());
                if (eventNanos != -1) metrics.membersApplied(Duration.ofNanos(System.nanoTime() - eventNanos));
                boolean wrote = ar.result().restoreInvocations() > 0;
                if (verifyOnly && wrote) {
                    // It repaired drift: pay for it, so a program fighting us meets the rate limit.
                    rateLimit.take();
                }
                scheduleVerify(wrote);
            } else if (verifyOnly) {
                rateLimit.take();
            }
            snapshot = snapshot.withSync(record);
            if (ar.succeeded() && !ar.result().hits().isEmpty()) {
                var totals = hits.update(ar.result().hits(), at);
                snapshot = snapshot.withHits(totals);
                metrics.hitsCounted(totals);
            }
            syncing = false;
            idle.complete();
            promises.forEach(p -> p.complete(record));
            schedule();
        });
    }
}
