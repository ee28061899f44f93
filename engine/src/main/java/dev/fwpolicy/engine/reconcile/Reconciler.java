package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.CommandResult;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.dataplane.IpsetDataplane;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.ipset.KernelSet;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.SetPlan;
import dev.fwpolicy.engine.ipset.SetPlanner;
import dev.fwpolicy.engine.ipset.SetReferences;
import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.ExpectedPrints;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the kernel's filter table equal to a {@link RuleSet} for fwpolicy's part of it.
 *
 * <ul>
 *   <li>{@link #plan(RuleSet)}: dry run. Reads the kernel back and returns what a sync would
 *       change and the exact payloads, writing nothing.</li>
 *   <li>{@link #sync(RuleSet)}: read back → plan → one {@code *-restore --noflush --wait} per
 *       family that needs changes → read back and verify; repeated (bounded, with backoff) when
 *       the verification shows the table still differs. Writes nothing when nothing differs.</li>
 * </ul>
 *
 * Blocking (runs processes): call it off any event loop. One instance per kernel (network
 * namespace and backend); calls are serialised, because two concurrent syncs would plan rule
 * numbers against the same table. A new instance over a correct kernel adopts it without
 * writing. Never asks {@code iptables -C}.
 */
public final class Reconciler {
    private final IptablesDataplane dataplane;
    /** Empty for a reconciler that manages no kernel sets (tests over a simulated table). */
    private final Optional<IpsetDataplane> sets;
    private final SetPlanner setPlanner = new SetPlanner();
    private Optional<KernelSets> lastSets = Optional.empty();
    /** The desired sets of the last rule set planned, converted once: 50,000 members are sorted once per policy, not per sync. */
    private Optional<DesiredSets> lastDesiredSets = Optional.empty();

    private record DesiredSets(RuleSet ruleSet, List<KernelSet> sets) {}

    private final ReconcilerOptions options;
    private final ExpectedPrints prints = new ExpectedPrints();
    /** fwpolicy rules detection found in the backend not in use; removed after the first successful sync. */
    private boolean leftoverInOtherBackend;
    /** What the last sync wrote without reading it back ({@link VerifyMode#ON_NEXT_READ}). */
    private Optional<Unverified> unverified = Optional.empty();

    private record Unverified(List<FamilyPlan> applied) {}

    /**
     * Per family, the last read-back and the empty plan made against it. A resync that finds
     * the kernel printing the same rules gets the same parse back from the dataplane (only the
     * counters are new, {@link KernelTable#sameRules}); when the rule set is the same object and nothing was learned since, the
     * plan is the same too (Planner is a pure function of the three), so it is not made again.
     * Only quiet plans are kept: a plan that writes changes the table it was made for.
     */
    private final Map<Family, KernelTable> lastRead = new EnumMap<>(Family.class);
    private final Map<Family, QuietPlan> lastQuiet = new EnumMap<>(Family.class);

    private record QuietPlan(RuleSet desired, KernelTable table, long printsVersion, FamilyPlan plan) {}

    public Reconciler(IptablesDataplane dataplane) {
        this(dataplane, ReconcilerOptions.defaults());
    }

    public Reconciler(IptablesDataplane dataplane, ReconcilerOptions options) {
        this(dataplane, Optional.empty(), options);
    }

    /** A reconciler for the rules and fwpolicy's kernel sets ({@code fwp-…} ipsets). */
    public Reconciler(IptablesDataplane dataplane, IpsetDataplane sets, ReconcilerOptions options) {
        this(dataplane, Optional.of(sets), options);
    }

    private Reconciler(IptablesDataplane dataplane, Optional<IpsetDataplane> sets, ReconcilerOptions options) {
        this.dataplane = dataplane;
        this.sets = sets;
        this.options = options;
        this.leftoverInOtherBackend = dataplane.backend().ownRulesElsewhere() > 0;
    }

    /**
     * The usual way in: a reconciler for the host's own network namespace (empty {@code netns})
     * or a named one, with the backend detected or forced. Runs the detection (a few
     * {@code *-save} calls), so call it off any event loop.
     */
    public static Reconciler open(BackendChoice backend, Optional<String> netns) {
        return open(backend, netns, ReconcilerOptions.defaults());
    }

    /** As {@link #open(BackendChoice, Optional)}, with options (e.g. IPv4 only on a host without IPv6). */
    public static Reconciler open(BackendChoice backend, Optional<String> netns, ReconcilerOptions options) {
        CommandRunner runner = new ProcessCommandRunner();
        if (netns.isPresent()) runner = runner.inNetns(netns.get());
        // Both open by reading: a missing iptables backend, ipset tool or ip_set kernel support is
        // a clear error now, not a failed sync later.
        return new Reconciler(IptablesDataplane.open(runner, backend), IpsetDataplane.open(runner), options);
    }

    public DetectedBackend backend() {
        return dataplane.backend();
    }

    /** What {@link #sync} would do now. Throws {@code DataplaneException} when the read-back is anomalous. */
    public synchronized Plan plan(RuleSet desired) {
        var read = readBoth(false);
        learnUnverified(read.tables());
        return planFor(desired, read.tables(), read.sets());
    }

    /**
     * The kernel model every view uses: each managed family read back once (with packet and
     * byte counters when asked) and classified against {@code desired}. {@code diff},
     * {@code state}, {@code eval --against kernel} and the HTTP API all answer from one of these.
     */
    public synchronized KernelView inspect(RuleSet desired, boolean withCounters) {
        var read = readBoth(withCounters || options.counters());
        learnUnverified(read.tables());
        return new KernelView(read.tables(), planFor(desired, read.tables(), read.sets()), read.sets().orElse(KernelSets.empty()));
    }

    /**
     * Makes the kernel match {@code desired}. Throws {@link ReconcileException} (with the rejected
     * payload and the tool's stderr) when it cannot, and {@code DataplaneException} when the
     * kernel cannot be read back reliably; either way the rules in force are those of the last
     * successful transaction.
     */
    public synchronized SyncReport sync(RuleSet desired) {
        return sync(desired, plan -> { });
    }

    /**
     * As {@link #sync(RuleSet)}, handing the sync's first read-back, classified (what it found
     * before writing, with counters when {@link ReconcilerOptions#counters()}), to {@code firstRead}:
     * a caller that reports what kind of drift there was, or how often each rule was hit, needs
     * no dry run of its own, which would cost another read-back.
     */
    public synchronized SyncReport sync(RuleSet desired, java.util.function.Consumer<KernelView> firstRead) {
        SyncReport report = syncThisBackend(desired, firstRead);
        return leftoverInOtherBackend ? removeLeftover(report) : report;
    }

    /**
     * After a backend switch the old backend still holds fwpolicy's previous rules, in force
     * beside the new ones (a packet must pass both) and invisible to the new backend's tools.
     * Once this backend holds the rule set, the other is reconciled to an empty rule set: the
     * same planner removes exactly fwpolicy's jumps (by spec) and FWP- chains there, nothing else.
     * Done after, not before, so the host is never without a policy.
     */
    private SyncReport removeLeftover(SyncReport report) {
        var other = dataplane.otherBackend();
        var cleaner = new Reconciler(other, options.withVerify(VerifyMode.AFTER_WRITE));
        cleaner.leftoverInOtherBackend = false;
        var removed = cleaner.sync(new RuleSet(List.of(), List.of(), "none"));
        leftoverInOtherBackend = false;
        return report.withWarning("found " + dataplane.backend().ownRulesElsewhere() + " fwpolicy rule(s) in the "
                + other.backend().backend().label() + " backend (left from before a switch to " + backend().backend().label()
                + "); removed " + removed.counts().removed() + " rule(s) there");
    }

    private SyncReport syncThisBackend(RuleSet desired, java.util.function.Consumer<KernelView> firstRead) {
        long start = System.nanoTime();
        var read = readBoth(options.counters());
        Map<Family, KernelTable> tables = read.tables();
        int mismatches = learnUnverified(tables);
        Plan first = planFor(desired, tables, read.sets());
        firstRead.accept(new KernelView(tables, first, read.sets().orElse(KernelSets.empty())));
        var foundSets = new SyncReport.SetSync(first.sets().missingMembers(), first.sets().extraMembers(), 0, 0);
        if (first.isEmpty()) {
            requireNoSetProblems(first);
            return new SyncReport(backend(), first.counts(), 0, 0, 0, mismatches, Duration.ofNanos(System.nanoTime() - start), true,
                    foundSets);
        }
        int restores = 0;
        int lines = 0;
        int setRestores = 0;
        int setLines = 0;
        Optional<CommandResult> lastRejected = Optional.empty();
        Optional<String> lastRejectedPayload = Optional.empty();
        Plan plan = first;
        int attempt = 0;
        while (attempt < options.maxAttempts() && !plan.isEmpty()) {
            if (attempt > 0) pause(attempt);
            attempt++;
            List<FamilyPlan> applied = new ArrayList<>();
            if (!plan.sets().toRelease().isEmpty()) {
                restores += release(desired, tables, plan.sets().toRelease());
                read = readBoth(false);
                tables = read.tables();
                plan = planFor(desired, tables, read.sets());
            }
            boolean setsWritten = true;
            if (!plan.sets().lines().isEmpty()) {
                // Sets first: a rule may only be written once the set it names exists.
                String payload = plan.sets().payload();
                CommandResult result = sets.orElseThrow().restore(payload);
                setRestores++;
                if (result.ok()) {
                    setLines += plan.sets().lines().size();
                } else {
                    setsWritten = false;
                    lastRejected = Optional.of(result);
                    lastRejectedPayload = Optional.of(payload);
                }
            }
            for (FamilyPlan fp : plan.families()) {
                if (fp.isEmpty() || !setsWritten) continue;
                String payload = options.payloadHook().apply(fp.payload());
                CommandResult result = dataplane.restore(fp.family(), payload);
                restores++;
                if (result.ok()) {
                    lines += fp.ops().size();
                    applied.add(fp);
                } else {
                    lastRejected = Optional.of(result);
                    lastRejectedPayload = Optional.of(payload);
                }
            }
            if (options.verify() == VerifyMode.ON_NEXT_READ && lastRejected.isEmpty()) {
                // Every transaction committed: the next read-back verifies and learns (VerifyMode).
                unverified = Optional.of(new Unverified(applied));
                requireNoSetProblems(plan);
                return new SyncReport(backend(), first.counts(), restores, lines, attempt, mismatches,
                        Duration.ofNanos(System.nanoTime() - start), false,
                        new SyncReport.SetSync(foundSets.missingMembers(), foundSets.extraMembers(), setRestores, setLines));
            }
            read = readBoth(false);
            tables = read.tables();
            for (FamilyPlan fp : applied) mismatches += learn(fp, tables.get(fp.family()));
            plan = planFor(desired, tables, read.sets());
        }
        if (!plan.isEmpty()) {
            String why = lastRejected.map(r -> "restore rejected the payload (exit " + r.exitCode() + ")")
                    .orElse("the kernel still differs after " + attempt + " attempt(s) (changed concurrently?)");
            throw new ReconcileException("sync failed: " + why + "; still to do: " + plan.counts()
                    + (plan.sets().isEmpty() ? "" : ", " + plan.sets().lines().size() + " set line(s)"),
                    lastRejectedPayload, lastRejected.map(CommandResult::stderr));
        }
        requireNoSetProblems(plan);
        return new SyncReport(backend(), first.counts(), restores, lines, attempt, mismatches,
                Duration.ofNanos(System.nanoTime() - start), true,
                new SyncReport.SetSync(foundSets.missingMembers(), foundSets.extraMembers(), setRestores, setLines));
    }

    /**
     * Takes fwpolicy's own rules that name {@code names} out of its chains, one restore per
     * family, so that those sets, which someone recreated with another type while the rules
     * named them, can be destroyed and created right: the kernel refuses to destroy a set a
     * rule holds, and {@code ipset swap} refuses sets of different types. The caller reads back
     * and plans again, which recreates the sets and writes the rules back in the same sync. Until
     * then those rules are absent for one round trip; they matched against a set of the wrong
     * type, which held none of the members fwpolicy put there.
     * Returns the number of restores run.
     */
    private int release(RuleSet desired, Map<Family, KernelTable> tables, java.util.Set<String> names) {
        var chains = desired.chains().stream().map(c -> new OwnedChain(c.family(), c.name(),
                c.rules().stream().filter(r -> !namesAnySet(r, names)).toList())).toList();
        var without = new RuleSet(chains, desired.jumps(), desired.revision(), desired.sets());
        int restores = 0;
        for (var entry : tables.entrySet()) {
            var fp = Planner.plan(without, entry.getKey(), entry.getValue(), prints);
            if (fp.isEmpty()) continue;
            String payload = options.payloadHook().apply(fp.payload());
            CommandResult result = dataplane.restore(fp.family(), payload);
            restores++;
            if (!result.ok()) {
                throw new ReconcileException("sync failed: could not take out the rules naming set(s) " + String.join(", ", names)
                        + " to recreate them (exit " + result.exitCode() + ")", Optional.of(payload), Optional.of(result.stderr()));
            }
        }
        return restores;
    }

    private static boolean namesAnySet(CompiledRule rule, java.util.Set<String> names) {
        var m = rule.match();
        return m.source().flatMap(AddressMatch::set).map(s -> names.contains(s.name())).orElse(false)
                || m.destination().flatMap(AddressMatch::set).map(s -> names.contains(s.name())).orElse(false);
    }

    /** A set only a person can fix (see {@link SetPlan#problems()}) fails the sync once everything else is done. */
    private static void requireNoSetProblems(Plan plan) {
        if (!plan.sets().problems().isEmpty()) {
            throw new ReconcileException("sync failed: " + String.join("; ", plan.sets().problems()), Optional.empty(), Optional.empty());
        }
    }

    /** One read-back: the iptables tables and the sets. */
    private record ReadBack(Map<Family, KernelTable> tables, Optional<KernelSets> sets) {}

    /**
     * Reads the sets while the tables are read: {@code ipset save} of a 50,000-member set takes
     * longer than both iptables reads, and nothing orders the two (rules name sets by name; a
     * change between the reads is found by the next sync as any concurrent change is). Always
     * waits for both, so no read outlives the sync that started it.
     */
    private ReadBack readBoth(boolean withCounters) {
        if (sets.isEmpty()) return new ReadBack(readAll(withCounters), Optional.empty());
        var setRead = java.util.concurrent.CompletableFuture.supplyAsync(this::readSets, READERS);
        Map<Family, KernelTable> tables;
        try {
            tables = readAll(withCounters);
        } catch (RuntimeException e) {
            try {
                setRead.join();
            } catch (java.util.concurrent.CompletionException ignored) {
                // the tables' failure is the one reported
            }
            throw e;
        }
        try {
            return new ReadBack(tables, setRead.join());
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private Optional<KernelSets> readSets() {
        if (sets.isEmpty()) return Optional.empty();
        try {
            lastSets = Optional.of(sets.get().read(lastSets));
            return lastSets;
        } catch (RuntimeException e) {
            lastSets = Optional.empty();
            throw e;
        }
    }

    /**
     * The set side of a plan. Which sets rules reference is read from every chain of the
     * read-back, fwpolicy's or not: the kernel refuses to destroy a referenced set.
     */
    private SetPlan planSets(RuleSet desired, Map<Family, KernelTable> tables, Optional<KernelSets> kernel) {
        var wanted = desiredSets(desired);
        if (kernel.isEmpty()) {
            if (wanted.isEmpty()) return SetPlan.NONE;
            throw new ReconcileException("the rule set matches kernel sets (" + wanted.get(0).name() + ", …) but this reconciler"
                    + " manages no ipsets", Optional.empty(), Optional.empty());
        }
        var specs = new ArrayList<String>();
        var othersSpecs = new ArrayList<String>();
        tables.values().forEach(t -> t.chains().values().forEach(c -> c.rules().forEach(r -> {
            specs.add(r.spec());
            if (!ChainNames.isOwned(c.name())) othersSpecs.add(r.spec());
        })));
        var managed = new java.util.LinkedHashMap<String, KernelSet>();
        // A set of a family this reconciler does not manage (IPv6 on an IPv4-only host) is not its to destroy.
        kernel.get().owned().forEach((name, set) -> {
            if (set.shape().addressFamily().map(options.families()::contains).orElse(true)) managed.put(name, set);
        });
        var view = new KernelSets(managed, kernel.get().foreign(), kernel.get().raw());
        return setPlanner.plan(wanted, view, SetReferences.in(specs), SetReferences.in(othersSpecs));
    }

    private List<KernelSet> desiredSets(RuleSet desired) {
        if (lastDesiredSets.isPresent() && lastDesiredSets.get().ruleSet() == desired) return lastDesiredSets.get().sets();
        var list = desired.sets().stream().filter(s -> options.families().contains(s.family()))
                .map(KernelSet::desired).toList();
        lastDesiredSets = Optional.of(new DesiredSets(desired, list));
        return list;
    }

    /**
     * After a sync that trusted its committed transactions ({@link VerifyMode#ON_NEXT_READ}),
     * learns from this read-back what the kernel printed for the rules it wrote, before anything
     * is planned against it. Returns how many prints differed from the rendered spec.
     */
    private int learnUnverified(Map<Family, KernelTable> tables) {
        if (unverified.isEmpty()) return 0;
        var u = unverified.get();
        unverified = Optional.empty();
        int mismatches = 0;
        for (FamilyPlan fp : u.applied()) {
            KernelTable table = tables.get(fp.family());
            if (table != null) mismatches += learn(fp, table);
        }
        return mismatches;
    }

    /**
     * Records what the kernel printed for each rule just written, so a later read-back is
     * compared with the kernel's own normalised form. Returns how many differed from the
     * rendered spec.
     */
    private int learn(FamilyPlan applied, KernelTable table) {
        var written = applied.written();
        // id → every copy in its desired chain, built once: a first apply writes every rule.
        Map<String, List<String>> printed = new java.util.HashMap<>();
        for (var chain : table.chains().values()) {
            for (var r : chain.rules()) {
                if (r.id().isEmpty()) continue;
                var rule = written.get(r.id().get());
                if (rule != null && rule.chain().equals(chain.name())) {
                    printed.computeIfAbsent(rule.id(), k -> new ArrayList<>(1)).add(r.spec());
                }
            }
        }
        int mismatches = 0;
        for (var e : printed.entrySet()) {
            if (e.getValue().size() != 1) continue; // not ours alone to learn from; the verify plan will say so
            String spec = e.getValue().get(0);
            var rule = written.get(e.getKey());
            if (!spec.equals(RuleSpecs.spec(rule))) mismatches++;
            prints.record(rule, spec);
        }
        return mismatches;
    }

    /**
     * Reads every managed family back, IPv6 on another thread while IPv4 is read here: the two
     * are independent processes, and on a 10,000-rule IPv4 table the small IPv6 read would
     * otherwise add its whole process start-up to every sync.
     */
    private Map<Family, KernelTable> readAll(boolean withCounters) {
        Map<Family, KernelTable> tables = new EnumMap<>(Family.class);
        var families = java.util.Arrays.stream(Family.values()).filter(options.families()::contains).toList();
        if (families.size() < 2) {
            for (Family f : families) tables.put(f, read(f, withCounters));
            return tables;
        }
        var others = new ArrayList<java.util.concurrent.CompletableFuture<KernelTable>>();
        for (Family f : families.subList(1, families.size())) {
            var previous = Optional.ofNullable(lastRead.get(f));
            others.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> dataplane.read(f, withCounters, previous), READERS));
        }
        RuntimeException failure = null;
        try {
            tables.put(families.get(0), read(families.get(0), withCounters));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int i = 0; i < others.size(); i++) {
            try {
                tables.put(families.get(i + 1), others.get(i).join());
            } catch (java.util.concurrent.CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (failure == null) failure = cause;
            }
        }
        if (failure != null) {
            lastRead.clear();
            throw failure;
        }
        lastRead.putAll(tables);
        return tables;
    }

    private KernelTable read(Family family, boolean withCounters) {
        try {
            var table = dataplane.read(family, withCounters, Optional.ofNullable(lastRead.get(family)));
            lastRead.put(family, table);
            return table;
        } catch (RuntimeException e) {
            lastRead.remove(family);
            throw e;
        }
    }

    /** Own daemon threads: the common pool may be tiny on a 2-core pod, and these block on a process. */
    private static final java.util.concurrent.Executor READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "fwpolicy-readback");
        t.setDaemon(true);
        return t;
    });

    private Plan planFor(RuleSet desired, Map<Family, KernelTable> tables, Optional<KernelSets> kernelSets) {
        List<FamilyPlan> families = new ArrayList<>();
        long version = prints.version();
        tables.forEach((family, table) -> {
            var quiet = lastQuiet.get(family);
            if (quiet != null && quiet.desired() == desired && quiet.table().sameRules(table) && quiet.printsVersion() == version) {
                families.add(quiet.plan());
                return;
            }
            var plan = Planner.plan(desired, family, table, prints);
            if (plan.isEmpty()) lastQuiet.put(family, new QuietPlan(desired, table, version, plan));
            else lastQuiet.remove(family);
            families.add(plan);
        });
        return new Plan(backend(), families, planSets(desired, tables, kernelSets));
    }

    private void pause(int attempt) {
        long millis = options.initialBackoff().toMillis() << Math.min(attempt - 1, 6);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReconcileException("interrupted while backing off", Optional.empty(), Optional.empty());
        }
    }
}
