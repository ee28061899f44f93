package dev.fwpolicy.sidecar.testing;

import dev.fwpolicy.sidecar.loop.BackendInfo;
import dev.fwpolicy.sidecar.loop.DiffView;
import dev.fwpolicy.sidecar.loop.DriftCounts;
import dev.fwpolicy.sidecar.loop.FirewallSync;
import dev.fwpolicy.sidecar.loop.KernelRuleState;
import dev.fwpolicy.sidecar.loop.KernelState;
import dev.fwpolicy.sidecar.loop.PlannedChange;
import dev.fwpolicy.sidecar.loop.SyncCounts;
import dev.fwpolicy.sidecar.loop.SyncResult;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory kernel for service tests without root: holds (family, chain, spec, id) lines
 * and does what a reconciler would, counting what it found. It also records how the loop
 * uses it: how many syncs ran, how many overlapped, when each started.
 */
public final class FakeFirewall implements FirewallSync {
    public record Line(String family, String chain, String spec, Optional<String> id) {}

    private final List<Line> kernel = new ArrayList<>();
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
                var found = compare(desired);
                kernel.clear();
                desired.allRules().forEach(r -> kernel.add(line(r)));
                appliedRevision = Optional.of(desired.revision());
                return new SyncResult(found.counts(), found.drift(), found.counts().isQuiet() ? 0 : 1, kernel.size(),
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
    public synchronized DiffView plan(RuleSet desired) {
        var found = compare(desired);
        return new DiffView(found.counts(), found.changes(), found.changes().isEmpty() ? Map.of() : Map.of("ipv4", "*filter\nCOMMIT\n"));
    }

    @Override
    public synchronized KernelState state(RuleSet desired) {
        var byId = desired.byId();
        var seen = new HashMap<String, Integer>();
        var out = new ArrayList<KernelRuleState>();
        var positions = new HashMap<String, Integer>();
        for (var l : kernel) {
            int pos = positions.merge(l.family + "/" + l.chain, 1, Integer::sum);
            KernelRuleState.Status status;
            var rule = l.id.map(byId::get);
            if (rule.isEmpty() || rule.get() == null) status = KernelRuleState.Status.UNKNOWN;
            else if (seen.merge(l.id.get(), 1, Integer::sum) > 1) status = KernelRuleState.Status.DUPLICATE;
            else if (!rule.get().spec().equals(l.spec)) status = KernelRuleState.Status.TAMPERED;
            else status = KernelRuleState.Status.IN_SYNC;
            out.add(new KernelRuleState(l.family, l.chain, pos, l.id, status, l.spec, Optional.of(7L), Optional.of(420L)));
        }
        desired.allRules().filter(r -> !seen.containsKey(r.id())).forEach(r -> out.add(new KernelRuleState(
                r.family().label(), r.chain(), 0, Optional.of(r.id()), KernelRuleState.Status.MISSING, r.spec(),
                Optional.empty(), Optional.empty())));
        return new KernelState(out);
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
        return new SyncResult(new SyncCounts(0, n, 0, 0, 0), new DriftCounts(0, 0, 0, n, 0), 1, 0, Duration.ZERO);
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
        return new Line(r.family().label(), r.chain(), r.spec(), Optional.of(r.id()));
    }

    private record Found(SyncCounts counts, DriftCounts drift, List<PlannedChange> changes) {}

    private Found compare(RuleSet desired) {
        var byId = desired.byId();
        var copies = new HashMap<String, Integer>();
        int duplicate = 0, tampered = 0, extra = 0;
        var changes = new ArrayList<PlannedChange>();
        for (var l : kernel) {
            var rule = l.id.map(byId::get).orElse(null);
            if (rule == null) {
                extra++;
                changes.add(new PlannedChange("REMOVE", l.family, l.chain, l.id, "-A " + l.chain + " " + l.spec));
            } else if (copies.merge(rule.id(), 1, Integer::sum) > 1) {
                duplicate++;
                changes.add(new PlannedChange("REMOVE", l.family, l.chain, l.id, "-A " + l.chain + " " + l.spec));
            } else if (!rule.spec().equals(l.spec)) {
                tampered++;
                changes.add(new PlannedChange("REPAIR", l.family, l.chain, l.id, rule.saveLine()));
            }
        }
        int missing = 0;
        for (var r : desired.allRules().toList()) {
            if (!copies.containsKey(r.id())) {
                missing++;
                changes.add(new PlannedChange("ADD", r.family().label(), r.chain(), Optional.of(r.id()), r.saveLine()));
            }
        }
        int unchanged = desired.ruleCount() - missing - tampered;
        return new Found(new SyncCounts(missing, duplicate + extra, 0, tampered, unchanged),
                new DriftCounts(missing, duplicate, tampered, extra, 0), changes);
    }
}
