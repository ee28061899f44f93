package dev.fwpolicy.sidecar.fleet;

import dev.fwpolicy.sidecar.loop.ActivePolicy;
import dev.fwpolicy.sidecar.loop.LoopEvents;
import dev.fwpolicy.sidecar.loop.SyncRecord;
import dev.fwpolicy.sidecar.source.PolicyProblem;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps this sidecar's Lease {@code fwpolicy-<pod>} saying what its pod enforces: rewritten after
 * every sync and every refused policy, and renewed every {@code period} besides, so a Lease not
 * renewed for three periods means a sidecar that is gone or stuck.
 *
 * <p>The Lease must never hold the firewall back: the loop only hands over events (on its own
 * thread, no I/O), and the writes run one at a time on a worker thread of their own, never the
 * loop's. Writes that pile up while one is in flight fold into one; a failed write (API server
 * down, RBAC missing) is logged once per failure streak, counted, and retried with backoff up to
 * the period — the reconcile loop goes on as if nothing happened.
 */
public final class LeaseKeeper implements LoopEvents {
    private static final System.Logger LOG = System.getLogger("fwpolicy.lease");
    /** Revisions whose first sighting is remembered: enough for any realistic burst of changes. */
    private static final int SIGHTINGS = 16;

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final String configMap;
    private final Duration period;
    private LeaseWrites writes = LeaseWrites.NONE;
    private final Instant acquiredAt = Instant.now();

    private Vertx vertx;
    private WorkerExecutor executor;
    private long periodicId = -1;
    private long retryId = -1;

    // Guarded by this: events come on the loop's thread, timers and writes on others.
    private final Map<String, ActivePolicy> firstSeen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ActivePolicy> eldest) {
            return size() > SIGHTINGS;
        }
    };
    /** What this pod's Lease said before this process started (a restarted sidecar). */
    private Optional<EnforcementLease> previous = Optional.empty();
    /** How many revisions this process has put in force. */
    private int revisionsEnforced;
    /** The first revision this process enforced was found in the kernel already (it wrote nothing). */
    private boolean firstFoundInForce;
    private Optional<String> revision = Optional.empty();
    private Optional<Instant> enforcedAt = Optional.empty();
    private Optional<ActivePolicy> enforcedFrom = Optional.empty();
    private boolean drifted;
    private Optional<String> syncError = Optional.empty();
    private Optional<String> rejection = Optional.empty();
    private boolean writing;
    private boolean dirty;
    private int failures;
    private boolean stopped;

    /**
     * @param namespace where the Lease lives (the pod's own)
     * @param configMap {@code NAMESPACE/NAME} the sidecar follows
     * @param period    renewal period; the Lease counts as fresh for three of them
     */
    public LeaseKeeper(KubernetesClient client, String namespace, String pod, String configMap, Duration period) {
        if (period.isZero() || period.isNegative()) throw new IllegalArgumentException("lease period must be positive: " + period);
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.configMap = configMap;
        this.period = period;
    }

    public String leaseName() {
        return EnforcementLease.leaseName(pod);
    }

    /** Starts renewing on {@code vertx}; {@code writes} hears how each write went. */
    public void start(Vertx vertx, LeaseWrites writes) {
        synchronized (this) {
            this.vertx = vertx;
            this.writes = writes;
            this.executor = vertx.createSharedWorkerExecutor("fwpolicy-lease-" + System.identityHashCode(this), 1);
        }
        // First on the one worker, so before the first write: a restarted sidecar adopts the rules
        // already in force without writing, and the revision did not reach the kernel just now.
        executor.executeBlocking(this::readPrevious, false);
        periodicId = vertx.setPeriodic(period.toMillis(), id -> requestWrite());
        // No write yet: until the first sync this process knows nothing to say (a restarted sidecar's
        // Lease keeps its word until then); the first event or the first period writes.
        LOG.log(Level.INFO, "keeping Lease {0}/{1} (renewed on every sync and every {2} s)", namespace, leaseName(),
                period.toSeconds());
    }

    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        if (vertx != null) {
            vertx.cancelTimer(periodicId);
            if (retryId != -1) vertx.cancelTimer(retryId);
        }
        if (executor != null) executor.close();
    }

    private Void readPrevious() {
        try {
            var lease = client.resources(Lease.class).inNamespace(namespace).withName(leaseName()).get();
            var found = lease == null ? Optional.<EnforcementLease>empty() : EnforcementLease.of(lease);
            synchronized (this) {
                previous = found.filter(p -> p.pod().equals(pod) && p.configMap().equals(configMap));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not read the previous Lease: {0}", e.getMessage());
        }
        return null;
    }

    // ---- what the loop reports (on its thread: no I/O here) ----

    @Override
    public synchronized void policyLoaded(ActivePolicy policy) {
        firstSeen.putIfAbsent(policy.revision(), policy);
        rejection = Optional.empty();
        requestWriteLocked();
    }

    @Override
    public synchronized void policyRejected(PolicyProblem problem) {
        rejection = Optional.of(problem.reason() + ": " + problem.message());
        requestWriteLocked();
    }

    @Override
    public void reloadFailed(String reason) {
        // policyRejected carries the same with its message
    }

    @Override
    public synchronized void syncSucceeded(SyncRecord record) {
        if (!revision.equals(Optional.of(record.revision()))) {
            revision = Optional.of(record.revision());
            enforcedAt = Optional.of(record.at().plus(record.duration()));
            enforcedFrom = Optional.ofNullable(firstSeen.get(record.revision()));
            revisionsEnforced++;
            if (revisionsEnforced == 1) firstFoundInForce = record.result().orElseThrow().restoreInvocations() == 0;
        }
        var counts = record.result().orElseThrow().counts();
        drifted = record.countedAsDrift() && !counts.isQuiet();
        syncError = Optional.empty();
        requestWriteLocked();
    }

    @Override
    public synchronized void syncFailed(SyncRecord record) {
        syncError = Optional.of("sync of revision " + record.revision() + " failed: " + record.error().orElse("?"));
        requestWriteLocked();
    }

    /** The Lease's content now. */
    public synchronized EnforcementLease current() {
        var error = syncError.or(() -> rejection);
        var state = error.isPresent() ? EnforcementState.ERROR : drifted ? EnforcementState.DRIFT : EnforcementState.IN_SYNC;
        var adopted = previous.filter(p -> revisionsEnforced == 1 && firstFoundInForce && p.revision().equals(revision)
                && p.enforcedAt().isPresent());
        if (adopted.isPresent()) {
            // A restarted sidecar found the revision in force and wrote nothing: it reached the kernel back then.
            var p = adopted.get();
            return new EnforcementLease(pod, configMap, revision, state, p.enforcedAt(), p.resourceVersion(), p.observedAt(), error,
                    Instant.now(), period.multipliedBy(3));
        }
        return new EnforcementLease(pod, configMap, revision, state, enforcedAt,
                enforcedFrom.flatMap(ActivePolicy::sourceVersion), enforcedFrom.map(ActivePolicy::observedAt), error,
                Instant.now(), period.multipliedBy(3));
    }

    // ---- writing (one at a time, off the loop) ----

    private void requestWrite() {
        synchronized (this) {
            requestWriteLocked();
        }
    }

    private void requestWriteLocked() {
        if (executor == null || stopped) return; // not started yet: the first period writes
        if (writing) {
            dirty = true;
            return;
        }
        writing = true;
        dirty = false;
        executor.executeBlocking(this::writeOnce, false).onComplete(ar -> finished(ar.succeeded() ? null : ar.cause()));
    }

    private Lease writeOnce() {
        var lease = current().toLease(namespace, acquiredAt);
        return client.resources(Lease.class).inNamespace(namespace).resource(lease).createOr(NonDeletingOperation::update);
    }

    private void finished(Throwable error) {
        boolean again;
        synchronized (this) {
            writing = false;
            if (error == null) {
                if (failures > 0) LOG.log(Level.INFO, "Lease {0}/{1} written again after {2} failed attempt(s)", namespace, leaseName(), failures);
                failures = 0;
            } else {
                failures++;
            }
            again = dirty && !stopped;
        }
        if (error == null) {
            writes.leaseWritten();
        } else {
            writes.leaseWriteFailed();
            if (failures == 1) {
                LOG.log(Level.WARNING, "could not write Lease {0}/{1} (the rules are not affected; retrying): {2}", namespace,
                        leaseName(), why(error));
            }
            scheduleRetry();
        }
        if (again) requestWrite();
    }

    /** fabric8 wraps the cause ("An error has occurred."): the innermost message says what happened. */
    private static String why(Throwable error) {
        var sb = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null) sb.append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    private synchronized void scheduleRetry() {
        if (stopped || vertx == null) return;
        long delay = Math.min(period.toMillis(), 1000L << Math.min(failures - 1, 16));
        if (retryId != -1) vertx.cancelTimer(retryId);
        retryId = vertx.setTimer(Math.max(1, delay), id -> {
            synchronized (this) {
                retryId = -1;
            }
            requestWrite();
        });
    }
}
