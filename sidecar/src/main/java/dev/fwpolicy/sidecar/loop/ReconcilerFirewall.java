package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IpsetDataplane;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.SetChange;
import dev.fwpolicy.engine.dataplane.KernelRule;
import dev.fwpolicy.engine.dataplane.KernelTable;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Change;
import dev.fwpolicy.engine.reconcile.ChangeCounts;
import dev.fwpolicy.engine.reconcile.Plan;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.VerifyMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Optional<IpsetDataplane> sets;

    public ReconcilerFirewall(Reconciler reconciler, IptablesDataplane dataplane) {
        this(reconciler, dataplane, Optional.empty());
    }

    public ReconcilerFirewall(Reconciler reconciler, IptablesDataplane dataplane, Optional<IpsetDataplane> sets) {
        this.reconciler = reconciler;
        this.dataplane = dataplane;
        this.sets = sets;
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
        var dataplane = IptablesDataplane.open(runner, BackendChoice.parse(backend));
        // Verify on the next read: a committed restore is trusted, and the loop schedules a
        // verifying sync shortly after every write (LoopSettings.verifyDelay) instead of reading
        // every family back before the sync returns.
        var sets = IpsetDataplane.open(runner);
        return new ReconcilerFirewall(new Reconciler(dataplane, sets,
                ReconcilerOptions.defaults().withVerify(VerifyMode.ON_NEXT_READ).withFamilies(families)), dataplane, Optional.of(sets));
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
        var first = new java.util.concurrent.atomic.AtomicReference<Plan>();
        var report = reconciler.sync(desired, first::set);
        report.warnings().forEach(w -> System.getLogger("fwpolicy.sync").log(System.Logger.Level.WARNING, w));
        Plan plan = first.get();
        var drift = report.wroteNothing() ? DriftCounts.NONE : changes(plan, desired);
        return new SyncResult(counts(report.counts()), drift, report.restoreInvocations(), desired.ruleCount(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public DiffView plan(RuleSet desired) {
        Plan plan = reconciler.plan(desired);
        var changes = plan.changes().stream().map(c -> new PlannedChange(c.kind().name(), c.family().label(), c.chain(),
                c.id(), c.line())).toList();
        Map<String, String> payloads = new LinkedHashMap<>();
        plan.families().stream().filter(f -> !f.isEmpty()).forEach(f -> payloads.put(f.family().label(), f.payload()));
        return new DiffView(counts(plan.counts()), changes, payloads);
    }

    @Override
    public KernelState state(RuleSet desired) {
        Plan plan = reconciler.plan(desired);
        Set<String> repaired = ids(plan, Change.Kind.REPAIR);
        Set<String> moved = ids(plan, Change.Kind.MOVE);
        Map<String, CompiledRule> byId = desired.byId();
        var out = new ArrayList<KernelRuleState>();
        for (Family family : plan.families().stream().map(f -> f.family()).toList()) {
            KernelTable table = dataplane.read(family, true);
            var seen = new HashSet<String>();
            for (var chain : table.chains().values()) {
                boolean owned = RuleSet.isOwnedChain(chain.name());
                var copies = new HashMap<String, Integer>();
                for (KernelRule rule : chain.rules()) {
                    // In built-in chains only fwpolicy's own (hashed) jump rules are ours to show.
                    if (!owned && rule.id().isEmpty()) continue;
                    var id = rule.id();
                    KernelRuleState.Status status;
                    if (id.isEmpty() || !byId.containsKey(id.get()) || !byId.get(id.get()).chain().equals(chain.name())) {
                        status = KernelRuleState.Status.UNKNOWN;
                    } else if (copies.merge(id.get(), 1, Integer::sum) > 1) {
                        status = KernelRuleState.Status.DUPLICATE;
                    } else if (repaired.contains(id.get())) {
                        status = KernelRuleState.Status.TAMPERED;
                    } else if (moved.contains(id.get())) {
                        status = KernelRuleState.Status.MISPLACED;
                    } else {
                        status = KernelRuleState.Status.IN_SYNC;
                    }
                    id.ifPresent(seen::add);
                    out.add(new KernelRuleState(family.label(), chain.name(), rule.position(), id, status, rule.spec(),
                            rule.counters().map(c -> c.packets()), rule.counters().map(c -> c.bytes())));
                }
            }
            desired.allRules().filter(r -> r.family() == family && !seen.contains(r.id())).forEach(r -> out.add(
                    new KernelRuleState(family.label(), r.chain(), 0, Optional.of(r.id()), KernelRuleState.Status.MISSING,
                            r.spec(), Optional.empty(), Optional.empty())));
        }
        var kernelSets = sets.map(IpsetDataplane::read).orElse(KernelSets.empty());
        var setStates = new ArrayList<KernelSetState>();
        for (var s : plan.sets().changes()) {
            desired.sets().stream().filter(d -> d.name().equals(s.name())).findFirst().ifPresent(d -> setStates.add(
                    new KernelSetState(d.name(), d.family().label(), d.policy(), d.set(),
                            s.kind() != SetChange.Kind.CREATED && s.kind() != SetChange.Kind.REPAIRED && s.kind() != SetChange.Kind.RECREATED
                                    && s.kind() != SetChange.Kind.BLOCKED,
                            d.members().size(), s.missingMembers(), s.extraMembers())));
        }
        return new KernelState(out, setStates, kernelSets);
    }

    @Override
    public SyncResult removeAll() {
        // An empty rule set: the reconciler takes out every owned chain and every hashed jump.
        var report = reconciler.sync(new RuleSet(List.of(), List.of(), "removed"));
        return new SyncResult(counts(report.counts()), DriftCounts.NONE, report.restoreInvocations(), 0, report.duration());
    }

    private static Set<String> ids(Plan plan, Change.Kind kind) {
        var ids = new HashSet<String>();
        plan.changes().stream().filter(c -> c.kind() == kind).forEach(c -> c.id().ifPresent(ids::add));
        return ids;
    }

    private static SyncCounts counts(ChangeCounts c) {
        return new SyncCounts(c.added(), c.removed(), c.moved(), c.repaired(), c.unchanged());
    }

    /** Kinds of change, from the plan's per-rule lines; extra copies of a desired rule are duplicates. */
    static DriftCounts changes(Plan plan, RuleSet desired) {
        // Built only when a removal needs it: a 10,000-rule map on every sync is garbage for nothing.
        Set<String> desiredIds = null;
        int missing = 0, duplicate = 0, tampered = 0, extra = 0, moved = 0;
        for (Change c : plan.changes()) {
            switch (c.kind()) {
                case ADD -> missing++;
                case REPAIR -> tampered++;
                case MOVE -> moved++;
                case REMOVE -> {
                    if (c.id().isPresent() && desiredIds == null) desiredIds = desired.byId().keySet();
                    if (c.id().isPresent() && desiredIds.contains(c.id().get())) duplicate++;
                    else extra++;
                }
                default -> { }
            }
        }
        return new DriftCounts(missing, duplicate, tampered, extra, moved, plan.sets().missingMembers(), plan.sets().extraMembers());
    }
}
