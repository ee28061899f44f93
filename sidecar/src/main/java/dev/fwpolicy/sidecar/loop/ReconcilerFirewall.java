package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IpsetDataplane;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.ChangeCounts;
import dev.fwpolicy.engine.reconcile.KernelView;
import dev.fwpolicy.engine.reconcile.Plan;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.VerifyMode;
import dev.fwpolicy.engine.reconcile.RuleHit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link FirewallSync} over the engine's {@link Reconciler}: the real kernel, in our network
 * namespace or a named one. Everything that decides what the kernel must hold is the
 * reconciler's; this class only translates its plans and reports into the service's values.
 */
public final class ReconcilerFirewall implements FirewallSync {
    private final Reconciler reconciler;
    private final IptablesDataplane dataplane;

    public ReconcilerFirewall(Reconciler reconciler, IptablesDataplane dataplane) {
        this.reconciler = reconciler;
        this.dataplane = dataplane;
    }

    /** Detects (or takes the forced) backend inside {@code netns}, or our own namespace; both families. */
    public static ReconcilerFirewall open(Optional<String> netns, String backend) {
        return open(netns, backend, java.util.EnumSet.allOf(Family.class));
    }

    /** As above, managing only {@code families} (a host without IPv6). */
    public static ReconcilerFirewall open(Optional<String> netns, String backend, Set<Family> families) {
        // Built here rather than with Reconciler.open: /v1/state reads counters through the same dataplane.
        CommandRunner runner = new ProcessCommandRunner();
        if (netns.isPresent()) runner = runner.inNetns(netns.get());
        return open(runner, backend, families);
    }

    /** Through {@code runner} (tests: wrappers on PATH that log every call). */
    public static ReconcilerFirewall open(CommandRunner runner, String backend, Set<Family> families) {
        var dataplane = IptablesDataplane.open(runner, BackendChoice.parse(backend));
        // Verify on the next read: a committed restore is trusted, and the loop schedules a
        // verifying sync shortly after every write (LoopSettings.verifyDelay) instead of reading
        // every family back before the sync returns.
        // fwpolicy's kernel sets are reconciled with the rules; opening reads them once, so a
        // missing ipset tool or kernel support stops the sidecar at start with the reason.
        // Counters come with every sync's read-back (rule hits, coverage, /metrics): no read of its own.
        return new ReconcilerFirewall(new Reconciler(dataplane, IpsetDataplane.open(runner),
                ReconcilerOptions.defaults().withVerify(VerifyMode.ON_NEXT_READ).withFamilies(families).withCounters(true)), dataplane);
    }

    @Override
    public BackendInfo backend() {
        var b = reconciler.backend();
        return new BackendInfo(b.backend().label(), b.version(), b.reason());
    }

    @Override
    public SyncResult sync(RuleSet desired) {
        // The sync's own first plan says what kind of drift there was (the report only counts
        // changes): no separate dry run, so a sync reads each family back once.
        long start = System.nanoTime();
        var first = new java.util.concurrent.atomic.AtomicReference<KernelView>();
        var report = reconciler.sync(desired, first::set);
        report.warnings().forEach(w -> System.getLogger("fwpolicy.sync").log(System.Logger.Level.WARNING, w));
        var found = report.wroteNothing() ? SyncResult.none() : first.get().plan().countsByStatus();
        return new SyncResult(counts(report.counts()), found, report.restoreInvocations(), desired.ruleCount(),
                Duration.ofNanos(System.nanoTime() - start), RuleHit.of(desired, first.get()));
    }

    @Override
    public KernelView inspect(RuleSet desired, boolean withCounters) {
        return reconciler.inspect(desired, withCounters);
    }

    @Override
    public SyncResult removeAll() {
        // An empty rule set: the reconciler takes out every owned chain and every hashed jump.
        var first = new java.util.concurrent.atomic.AtomicReference<Plan>();
        var report = reconciler.sync(new RuleSet(List.of(), List.of(), "removed"), v -> first.set(v.plan()));
        return new SyncResult(counts(report.counts()), first.get().countsByStatus(), report.restoreInvocations(), 0, report.duration());
    }

    private static SyncCounts counts(ChangeCounts c) {
        return new SyncCounts(c.added(), c.removed(), c.moved(), c.repaired(), c.unchanged());
    }
}
