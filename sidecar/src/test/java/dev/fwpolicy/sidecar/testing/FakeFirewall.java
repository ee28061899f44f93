package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.iptables.ChainNames;
import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.DetectedBackend;
import dev.fwpolicy.engine.iptables.ExpectedPrints;
import dev.fwpolicy.engine.iptables.IdentityComment;
import dev.fwpolicy.engine.iptables.KernelChain;
import dev.fwpolicy.engine.iptables.KernelRule;
import dev.fwpolicy.engine.iptables.KernelTable;
import dev.fwpolicy.engine.iptables.TableCounters;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.FamilyPlan;
import dev.fwpolicy.engine.reconcile.KernelView;
import dev.fwpolicy.engine.reconcile.Plan;
import dev.fwpolicy.engine.reconcile.Planner;
import dev.fwpolicy.sidecar.loop.BackendInfo;
import dev.fwpolicy.sidecar.loop.FirewallSync;
import dev.fwpolicy.sidecar.loop.SyncCounts;
import dev.fwpolicy.sidecar.loop.SyncResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory kernel for service tests without root: holds (family, chain, spec, id) lines
 * and classifies them with the engine's own {@link Planner} (the one drift classifier), so the
 * service sees exactly the statuses a real kernel would give. It also records how the loop
 * uses it: how many syncs ran, how many overlapped, when each started.
 */
public final class FakeFirewall implements FirewallSync {
    public record Line(String family, String chain, String spec, Optional<String> id) {}

    private final List<Line> kernel = new ArrayList<>();
    private final ExpectedPrints prints = new ExpectedPrints();
    private final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger maxConcurrent = new AtomicInteger();
    public final AtomicInteger syncs = new AtomicInteger();
    public final List<Long> syncStartsNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The clock {@link #syncStartsNanos} is read from: the loop's virtual time in tests that use it. */
    public volatile java.util.function.LongSupplier clock = System::nanoTime;
    /** While held, a sync waits after it is counted, so a test can keep one in flight. */
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
    public volatile Optional<String> failWith = Optional.empty();
    public volatile Optional<String> appliedRevision = Optional.empty();
    /** The rule set the last successful sync was asked for (its kernel sets' members included). */
    public volatile Optional<RuleSet> lastSynced = Optional.empty();

    @Override
    public BackendInfo backend() {
        return new BackendInfo("fake", "fake 1.0", "test double");
    }

    @Override
    public SyncResult sync(RuleSet desired) {
        int now = running.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        syncs.incrementAndGet();
        syncStartsNanos.add(clock.getAsLong());
        try {
            if (!gate.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("held for 30 s");
            if (failWith.isPresent()) throw new IllegalStateException(failWith.get());
            synchronized (this) {
                long start = System.nanoTime();
                var plan = view(desired, false).plan();
                kernel.clear();
                desired.allRules().forEach(r -> kernel.add(line(r)));
                appliedRevision = Optional.of(desired.revision());
                lastSynced = Optional.of(desired);
                var c = plan.counts();
                return new SyncResult(new SyncCounts(c.added(), c.removed(), c.moved(), c.repaired(), c.unchanged()),
                        plan.isEmpty() ? SyncResult.none() : plan.countsByStatus(), plan.isEmpty() ? 0 : 1, kernel.size(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            running.decrementAndGet();
        }
    }

    /** Syncs from now on wait until {@link #release()}. */
    public void hold() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** Syncs in progress now. */
    public int running() {
        return running.get();
    }

    @Override
    public synchronized KernelView inspect(RuleSet desired, boolean withCounters) {
        return view(desired, withCounters);
    }

    /** Edits rules in place, keeping their identity (a hand edit that keeps the fwp1 comment). */
    public synchronized void editKernel(java.util.function.UnaryOperator<String> specEdit) {
        kernel.replaceAll(l -> new Line(l.family(), l.chain(), specEdit.apply(l.spec()), l.id()));
    }

    @Override
    public synchronized SyncResult removeAll() {
        int n = kernel.size();
        kernel.clear();
        appliedRevision = Optional.empty();
        return new SyncResult(new SyncCounts(0, n, 0, 0, 0), Map.of(dev.fwpolicy.engine.reconcile.DriftStatus.UNKNOWN, n), 1, 0,
                Duration.ZERO);
    }

    // ---- damage, as an admin or another program would do it ----

    public synchronized void tamper(int index, String newSpecSuffix) {
        var l = kernel.get(index);
        kernel.set(index, new Line(l.family, l.chain, l.spec + newSpecSuffix, l.id));
    }

    public synchronized void duplicate(int index, int copies) {
        for (int i = 0; i < copies; i++) kernel.add(index, kernel.get(index));
    }

    public synchronized void delete(int index) {
        kernel.remove(index);
    }

    public synchronized void addJunk(String chain) {
        kernel.add(new Line("ipv4", chain, "-j ACCEPT", Optional.empty()));
    }

    public synchronized List<Line> lines() {
        return List.copyOf(kernel);
    }

    private static Line line(CompiledRule r) {
        return new Line(r.family().label(), r.chain(), RuleSpecs.spec(r), Optional.of(r.id()));
    }

    /** The lines as the tables a read-back would give (built-in chains with policy ACCEPT), classified by the Planner. */
    private KernelView view(RuleSet desired, boolean withCounters) {
        Map<Family, KernelTable> tables = new EnumMap<>(Family.class);
        var plans = new ArrayList<FamilyPlan>();
        for (Family family : Family.values()) {
            var rules = new LinkedHashMap<String, List<KernelRule>>();
            var counters = TableCounters.builder();
            for (String builtin : List.of("INPUT", "FORWARD", "OUTPUT")) rules.put(builtin, new ArrayList<>());
            for (var l : kernel) {
                if (!l.family().equals(family.label())) continue;
                var list = rules.computeIfAbsent(l.chain(), c -> new ArrayList<>());
                list.add(new KernelRule(l.chain(), list.size() + 1, l.spec(), IdentityComment.idIn(l.spec())));
                counters.add(l.chain(), 7, 420);
            }
            var chains = new LinkedHashMap<String, KernelChain>();
            rules.forEach((name, list) -> chains.put(name, new KernelChain(name, ChainNames.isOwned(name) ? "-" : "ACCEPT", list)));
            var table = new KernelTable(family, FilterTable.NAME, chains, "", List.of(), withCounters ? counters.build() : TableCounters.NONE);
            tables.put(family, table);
            plans.add(Planner.plan(desired, family, table, prints));
        }
        return new KernelView(tables, new Plan(new DetectedBackend(Backend.NFT, "fake 1.0", "test double"), plans));
    }
}
