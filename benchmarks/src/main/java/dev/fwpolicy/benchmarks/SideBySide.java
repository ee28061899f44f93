package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandResult;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.RuleHit;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.VerifyMode;
import dev.fwpolicy.engine.reconcile.SyncReport;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The side-by-side harness: fwpolicy next to the raw kernel tools and next to a naive
 * {@code -C}-then-{@code -A} reconciler, on generated rule sets of N rules, inside network
 * namespaces it creates and deletes. Every fwpolicy figure is taken in this JVM (no JVM start)
 * around {@link Reconciler#sync}, every raw figure around the same process runner
 * ({@code ip netns exec NS tool …}), alternating, in the same run. Run through
 * {@code benchmarks/run}; {@code --help} lists the flags.
 */
public final class SideBySide {

    record Options(List<Integer> sizes, int repeat, List<Backend> backends, int naiveMeasuredMax, int naiveSampledMax,
                   int naiveSample, boolean jmh, boolean quick, Path out, String prefix, Path naiveScript, Path sidecarJar,
                   Path pidFile, int serviceMax, List<String> sidecarJavaOpts, java.util.Set<String> phases, int warmupSize,
                   int warmupRounds) {

        boolean runs(String phase) {
            return phases.contains(phase);
        }
    }

    static final java.util.Set<String> PHASES = java.util.Set.of("kernel", "naive", "service", "jmh", "sets", "shapes", "compare");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Options opt;
    private final Report report = new Report();
    private final Compiler compiler = new Compiler();

    private SideBySide(Options opt) {
        this.opt = opt;
    }

    public static void main(String[] args) throws Exception {
        Options opt = parse(args);
        new SideBySide(opt).run();
    }

    private static Options parse(String[] args) {
        List<Integer> sizes = List.of(1_000, 10_000, 50_000);
        int repeat = 5;
        List<Backend> backends = List.of(Backend.NFT, Backend.LEGACY);
        int naiveMeasuredMax = 1_000;
        int naiveSampledMax = 10_000;
        int naiveSample = 200;
        boolean jmh = true;
        boolean quick = false;
        Path out = Path.of("benchmarks/results");
        String prefix = "fwp-bench-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Path naive = Path.of("benchmarks/naive-sync.sh");
        Path sidecarJar = Path.of("sidecar/target/fwpolicy.jar");
        Path pidFile = null;
        int serviceMax = 10_000;
        List<String> sidecarJavaOpts = null;
        String sidecarCds = "";
        java.util.Set<String> phases = PHASES;
        int warmupSize = 0;
        int warmupRounds = 3;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--backends" -> backends = Arrays.stream(args[++i].split(",")).map(b -> BackendChoice.parse(b.strip()).forced()
                        .orElseThrow(() -> new IllegalArgumentException("--backends takes nft and/or legacy"))).toList();
                case "--naive-measured-max" -> naiveMeasuredMax = Integer.parseInt(args[++i]);
                case "--naive-sampled-max" -> naiveSampledMax = Integer.parseInt(args[++i]);
                case "--naive-sample" -> naiveSample = Integer.parseInt(args[++i]);
                case "--no-jmh" -> jmh = false;
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--netns-prefix" -> prefix = args[++i];
                case "--naive-script" -> naive = Path.of(args[++i]);
                case "--sidecar-jar" -> sidecarJar = Path.of(args[++i]);
                case "--pid-file" -> pidFile = Path.of(args[++i]);
                case "--service-max" -> serviceMax = Integer.parseInt(args[++i]);
                case "--warmup-size" -> warmupSize = Integer.parseInt(args[++i]);
                case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
                case "--sidecar-cds" -> sidecarCds = args[++i];
                case "--sidecar-java-opts" -> sidecarJavaOpts = Arrays.stream(args[++i].trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
                case "--phases" -> {
                    phases = java.util.Set.copyOf(Arrays.stream(args[++i].split(",")).map(String::strip).toList());
                    if (!PHASES.containsAll(phases)) throw new IllegalArgumentException("--phases takes " + PHASES);
                }
                case "--help", "-h" -> {
                    System.out.println("""
                            usage: SideBySide [--sizes 1000,10000,50000] [--repeat 5] [--backends nft,legacy]
                                              [--naive-measured-max 1000] [--naive-sampled-max 10000] [--naive-sample 200]
                                              [--no-jmh] [--quick] [--out DIR] [--netns-prefix fwp-bench-XXXX] [--naive-script PATH]
                                              [--sidecar-jar PATH] [--sidecar-cds ARCHIVE] [--pid-file PATH] [--service-max 10000]
                                              [--sidecar-java-opts "-XX:MaxRAM=256m" (default: @sidecar/jvm.options; "" = JVM defaults)] [--phases kernel,naive,service,jmh,sets,shapes,compare]
                                              [--warmup-size N] [--warmup-rounds 3]""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + a + " (try --help)");
            }
        }
        if (sidecarJavaOpts == null) {
            // As shipped: ./fwpolicy and the example Deployment run the sidecar with these options.
            Path shipped = sidecarJar.toAbsolutePath().getParent().getParent().resolve("jvm.options");
            var opts = new java.util.ArrayList<String>();
            if (Files.isRegularFile(shipped)) opts.add("@" + shipped);
            if (!sidecarCds.isEmpty()) opts.addAll(List.of("-XX:SharedArchiveFile=" + sidecarCds, "-Xlog:cds=off"));
            sidecarJavaOpts = List.copyOf(opts);
        }
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be at least 1");
        if (!prefix.matches("fwp-bench-[A-Za-z0-9]{1,20}")) throw new IllegalArgumentException("--netns-prefix must look like fwp-bench-XXXX");
        return new Options(sizes, repeat, backends, naiveMeasuredMax, naiveSampledMax, naiveSample, jmh, quick, out, prefix, naive,
                sidecarJar, pidFile, serviceMax, sidecarJavaOpts, phases, warmupSize, warmupRounds);
    }

    private void run() throws IOException {
        machine();
        log("machine: " + report.machine);
        for (Backend backend : opt.backends()) {
            if (opt.runs("kernel") || opt.runs("naive")) {
                warmUp(backend);
                for (int n : opt.sizes()) kernelFigures(backend, n);
            }
            if (opt.runs("sets")) {
                for (int n : opt.sizes()) new KernelSetFigures(opt, report).figures(backend, n);
            }
            if (opt.runs("service")) {
                for (int n : opt.sizes()) if (n <= opt.serviceMax()) new Service(opt, report).figures(backend, n);
                if (backend == opt.backends().get(0)) {
                    // The answer comes from the policy in force, not the kernel: once is enough.
                    int n = opt.sizes().stream().filter(x -> x <= opt.serviceMax()).max(Integer::compare).orElse(opt.sizes().get(0));
                    new Service(opt, report).evaluateUnderLoad(backend, n);
                }
            }
        }
        if (opt.runs("shapes")) PolicyShapes.figures(report, opt);
        if (opt.runs("compare")) PolicyCompare.figures(report, opt);
        if (opt.jmh() && opt.runs("jmh")) {
            InProcess.compile(report, opt);
            InProcess.readBack(report, opt);
            InProcess.coldCompile(report, opt);
        }
        if (opt.jmh() && opt.runs("jmh")) InProcess.evaluate(report, opt);
        report.machine.put("load after (1/5/15 min)", loadAvg());
        String stamp = STAMP.format(Instant.now());
        Files.createDirectories(opt.out());
        Path json = opt.out().resolve("side-by-side-" + stamp + ".json");
        Path md = opt.out().resolve("side-by-side-" + stamp + ".md");
        Files.writeString(json, report.json());
        Files.writeString(md, report.markdown());
        System.out.println();
        System.out.print(report.text());
        System.out.println();
        System.out.println("written: " + json + " and " + md);
    }

    // ---------------------------------------------------------------- kernel figures

    /** Compiles the JIT-hot paths (parser, planner, renderer) before anything is measured. */
    /**
     * Compiles the JIT-hot paths before anything is measured: a first apply, then rounds of a
     * one-rule change, its undo and a no-op sync. A long-running sidecar runs these paths
     * thousands of times; more rounds ({@code --warmup-rounds}) measure closer to that steady state.
     */
    private void warmUp(Backend backend) {
        int n = opt.warmupSize() > 0 ? opt.warmupSize() : Math.min(2_000, opt.sizes().stream().min(Integer::compare).orElse(1_000));
        log(backend.label() + ": warm-up at N=" + n + ", " + opt.warmupRounds() + " round(s)");
        var base = compile(n, -1);
        var edited = compile(n, n / 2);
        try (var ns = Netns.create(opt.prefix())) {
            var r = reconciler(backend, ns);
            var next = reconciler(backend, ns, VerifyMode.ON_NEXT_READ);
            r.sync(base);
            for (int i = 0; i < opt.warmupRounds(); i++) {
                r.sync(edited);
                r.sync(base);
                r.sync(base);
                next.sync(edited);
                next.sync(base);
            }
        }
    }

    private void kernelFigures(Backend backend, int n) {
        String b = backend.label();
        log(b + " N=" + n + ": compiling");
        RuleSet base = compile(n, -1);
        RuleSet edited = compile(n, n / 2);
        var change = OneChange.of(base, edited);
        String payload4 = RestoreRenderer.render(base, Family.V4);
        String payload6 = RestoreRenderer.render(base, Family.V6);
        long lines = payload4.lines().count() + payload6.lines().count();
        int repeat = opt.repeat();

        boolean target = n == 10_000;
        Goal ratioGoal = target ? Goal.RATIO_AT_MOST : Goal.NONE;
        String ratioTarget = target ? "≤1.20×" : "—";

        List<Double> rawRestore = new ArrayList<>();
        List<Double> rawRestoreSave = new ArrayList<>();
        List<List<Double>> fwpFirst = List.of(new ArrayList<>(), new ArrayList<>());
        int firstLines = 0;
        Netns raw = null;
        Netns[] fwp = new Netns[MODES.length];
        Reconciler[] rec = new Reconciler[MODES.length];
        try {
            // First apply: fresh namespaces each run; the last ones stay for the next figures.
            log(b + " N=" + n + ": first apply ×" + repeat);
            for (int i = 0; i < repeat; i++) {
                close(raw);
                close(fwp);
                raw = Netns.create(opt.prefix());
                var rr = raw.runner();
                double restore = ms(() -> restore(rr, backend, Family.V4, payload4)) + ms(() -> restore(rr, backend, Family.V6, payload6));
                double save = ms(() -> save(rr, backend, Family.V4)) + ms(() -> save(rr, backend, Family.V6));
                rawRestore.add(restore);
                rawRestoreSave.add(restore + save);
                for (int m = 0; m < MODES.length; m++) {
                    fwp[m] = Netns.create(opt.prefix());
                    rec[m] = reconciler(backend, fwp[m], MODES[m]);
                    var r = timedSync(rec[m], base, fwpFirst.get(m));
                    require(r.counts().added() == base.ruleCount(), "first apply added " + r.counts() + ", expected " + base.ruleCount());
                    firstLines = r.payloadLines();
                }
            }
            Stat first = Stat.of(fwpFirst.get(0));
            String rawFirst = "raw *-restore --noflush of the same payload (v4+v6, " + lines + " lines)";
            // Verify after write does more than the raw restore (it reads the table back): its target
            // is against the raw tools doing that too; the plain restore is shown for reference.
            add(new Row("first apply, " + MODE_NAMES[0], b, n, "ms", Optional.of(first), rawFirst, Optional.of(Stat.of(rawRestore)),
                    Goal.NONE, 0, "—", "fwpolicy: read v4+v6, plan, restore v4+v6 (" + firstLines + " lines), read back v4+v6, verify"));
            add(new Row("first apply, " + MODE_NAMES[0], b, n, "ms", Optional.of(first), "raw restore + raw save (v4+v6): the same work incl. the read-back",
                    Optional.of(Stat.of(rawRestoreSave)), ratioGoal, 1.2, ratioTarget, "same fwpolicy runs as the row above"));
            add(new Row("first apply, " + MODE_NAMES[1], b, n, "ms", Optional.of(Stat.of(fwpFirst.get(1))), rawFirst, Optional.of(Stat.of(rawRestore)),
                    ratioGoal, 1.2, ratioTarget, "fwpolicy: read v4+v6, plan, restore v4+v6; no read-back (the next sync's read verifies)"));

            // No-op sync against a raw save of the same kernel state, interleaved.
            log(b + " N=" + n + ": no-op ×" + repeat);
            List<Double> rawSave4 = new ArrayList<>();
            List<Double> rawSave46 = new ArrayList<>();
            List<List<Double>> fwpNoop = List.of(new ArrayList<>(), new ArrayList<>());
            // The sidecar's no-op sync reads counters with its read-back and turns them into rule hits.
            var counted = Reconciler.open(backend == Backend.NFT ? BackendChoice.NFT : BackendChoice.LEGACY, Optional.of(fwp[1].name()),
                    ReconcilerOptions.defaults().withVerify(VerifyMode.ON_NEXT_READ).withCounters(true));
            List<Double> fwpCounted = new ArrayList<>();
            List<Double> fwpUncounted = new ArrayList<>();
            for (int i = 0; i < opt.warmupRounds(); i++) counted.sync(base, v -> RuleHit.of(base, v));
            for (int i = 0; i < repeat; i++) {
                for (int k = 0; k < 2; k++) {
                    // alternate which goes first: neither always meets a warmer cache
                    boolean countersFirst = (i + k) % 2 == 0;
                    if (countersFirst) countedSync(counted, base, fwpCounted);
                    var plain = timedSync(rec[1], base, fwpUncounted);
                    require(plain.wroteNothing(), "no-op sync wrote: " + plain.summary());
                    if (!countersFirst) countedSync(counted, base, fwpCounted);
                }
                for (int m = 0; m < MODES.length; m++) {
                    var fr = fwp[m].runner();
                    if (m == 0) {
                        double s4 = ms(() -> save(fr, backend, Family.V4));
                        double s6 = ms(() -> save(fr, backend, Family.V6));
                        rawSave4.add(s4);
                        rawSave46.add(s4 + s6);
                    }
                    var r = timedSync(rec[m], base, fwpNoop.get(m));
                    require(r.wroteNothing(), "no-op sync wrote: " + r.summary());
                }
            }
            Stat noop = Stat.of(fwpNoop.get(0));
            add(new Row("no-op sync", b, n, "ms", Optional.of(noop), "raw *-save -t filter (v4)", Optional.of(Stat.of(rawSave4)),
                    ratioGoal, 1.2, ratioTarget, "fwpolicy: read v4+v6 (in parallel), parse, plan; writes nothing (same in both modes)"));
            add(new Row("no-op sync", b, n, "ms", Optional.of(noop), "raw save v4 + v6 one after the other", Optional.of(Stat.of(rawSave46)),
                    Goal.NONE, 0, "—", "same fwpolicy runs as the row above"));
            add(new Row("no-op sync with counters", b, n, "ms", Optional.of(Stat.of(fwpCounted)), "the same no-op sync without counters",
                    Optional.of(Stat.of(fwpUncounted)), ratioGoal, 1.1, target ? "≤1.10×" : "—",
                    "sidecar mode (verify on next read): *-save -c, counters beside the reused parse, RuleHit per rule; interleaved, same netns"));

            // One-rule change: fwpolicy flips rule N/2 back and forth; the raw side does the same by hand.
            log(b + " N=" + n + ": one-rule change ×" + repeat);
            List<Double> rawEdit = new ArrayList<>();
            List<Double> rawEditRead = new ArrayList<>();
            List<List<Double>> fwpEdit = List.of(new ArrayList<>(), new ArrayList<>());
            int editLines = 0;
            var rr = raw.runner();
            for (int i = 0; i < repeat; i++) {
                boolean forward = i % 2 == 0;
                double edit = ms(() -> {
                    change.byHand(rr, backend, forward);
                    return null;
                });
                rawEdit.add(edit);
                rawEditRead.add(edit + ms(() -> save(rr, backend, Family.V4)) + ms(() -> save(rr, backend, Family.V6)));
                for (int m = 0; m < MODES.length; m++) {
                    var r = timedSync(rec[m], forward ? edited : base, fwpEdit.get(m));
                    require(r.counts().added() == 1 && r.counts().removed() == 1, "one-rule change counted " + r.counts());
                    editLines = Math.max(editLines, r.payloadLines());
                }
            }
            for (var r : rec) r.sync(base);
            String rawEditName = "raw save v4 + hand-written 1-line restore (-R CHAIN pos)";
            add(new Row("one-rule change, " + MODE_NAMES[0], b, n, "ms", Optional.of(Stat.of(fwpEdit.get(0))), rawEditName,
                    Optional.of(Stat.of(rawEdit)), Goal.NONE, 0, "—",
                    "fwpolicy: read v4+v6, plan, restore v4, read back v4+v6, verify"));
            add(new Row("one-rule change, " + MODE_NAMES[0], b, n, "ms", Optional.of(Stat.of(fwpEdit.get(0))),
                    "raw edit as above, then save v4 + v6: the same work incl. the read-back", Optional.of(Stat.of(rawEditRead)),
                    ratioGoal, 1.2, ratioTarget, "same fwpolicy runs as the row above"));
            add(new Row("one-rule change, " + MODE_NAMES[1], b, n, "ms", Optional.of(Stat.of(fwpEdit.get(1))), rawEditName,
                    Optional.of(Stat.of(rawEdit)), ratioGoal, 1.2, ratioTarget, "fwpolicy: read v4+v6, plan, restore v4; no read-back"));
            add(new Row("one-rule change: payload lines", b, n, "lines", Optional.of(new Stat(editLines, editLines, editLines, repeat)),
                    "—", Optional.empty(), Goal.VALUE_AT_MOST, 4, "≤4", "largest payload over the runs, both modes"));

            // Heavy damage: duplicates ×100 of ten rules, 1% of the rules deleted; against the first apply.
            log(b + " N=" + n + ": heavy damage ×" + repeat);
            List<Double> fwpDamage = new ArrayList<>();
            String damageNote = "";
            var fr = fwp[0].runner();
            for (int i = 0; i < repeat; i++) {
                var d = Damage.of(base);
                restore(fr, backend, Family.V4, d.payload());
                var r = timedSync(rec[0], base, fwpDamage);
                require(r.counts().removed() == d.duplicates() && r.counts().added() == d.deletions(),
                        "damage repair counted " + r.counts() + ", expected removed " + d.duplicates() + " added " + d.deletions());
                damageNote = d.duplicates() + " duplicates appended, " + d.deletions() + " rules deleted; repaired with "
                        + r.payloadLines() + " payload lines";
            }
            add(new Row("sync after heavy damage, " + MODE_NAMES[0], b, n, "ms", Optional.of(Stat.of(fwpDamage)), "fwpolicy first apply (above)",
                    Optional.of(first), Goal.NONE, 0, "—", damageNote));

            if (opt.runs("naive")) naive(backend, n, base, first, noop);
        } finally {
            close(raw);
            close(fwp);
        }
    }

    private static final VerifyMode[] MODES = {VerifyMode.AFTER_WRITE, VerifyMode.ON_NEXT_READ};
    private static final String[] MODE_NAMES = {"verify after write (default)", "verify on next read"};

    private static void countedSync(Reconciler reconciler, RuleSet rs, List<Double> times) {
        var hits = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        var report = reconciler.sync(rs, v -> hits.set(RuleHit.of(rs, v).size()));
        times.add((System.nanoTime() - start) / 1e6);
        require(report.wroteNothing(), "no-op sync with counters wrote: " + report.summary());
        require(hits.get() == rs.ruleCount(), "rule hits for " + hits.get() + " of " + rs.ruleCount() + " rules");
    }

    private static SyncReport timedSync(Reconciler reconciler, RuleSet rs, List<Double> times) {
        long start = System.nanoTime();
        var report = reconciler.sync(rs);
        times.add((System.nanoTime() - start) / 1e6);
        return report;
    }

    /** The kube-router loop, measured at small N and sampled (labelled extrapolated) at larger N. */
    private void naive(Backend backend, int n, RuleSet base, Stat fwpFirst, Stat fwpNoop) {
        if (n > opt.naiveSampledMax()) return;
        String b = backend.label();
        Naive naive = new Naive(opt.naiveScript(), backend);
        if (n <= opt.naiveMeasuredMax()) {
            int repeat = Math.min(opt.repeat(), 3);
            log(b + " N=" + n + ": naive -C/-A reconciler ×" + repeat + " (measured)");
            List<Double> firsts = new ArrayList<>();
            List<Double> resyncs = new ArrayList<>();
            String note = "";
            for (int i = 0; i < repeat; i++) {
                try (var ns = Netns.create(opt.prefix())) {
                    var f = naive.run(ns, Naive.actions(base, Integer.MAX_VALUE));
                    firsts.add(f.millis());
                    var s = naive.run(ns, Naive.actions(base, Integer.MAX_VALUE));
                    resyncs.add(s.millis());
                    note = "naive first: " + f.summary() + "; naive resync: " + s.summary();
                }
            }
            add(new Row("first apply vs naive -C/-A", b, n, "ms", Optional.of(fwpFirst), "naive-sync.sh on an empty kernel (measured)",
                    Optional.of(Stat.of(firsts)), n == 1_000 ? Goal.SPEEDUP_AT_LEAST : Goal.NONE, 100, n == 1_000 ? "≥100× faster" : "—", note));
            add(new Row("no-op sync vs naive -C/-A", b, n, "ms", Optional.of(fwpNoop), "naive-sync.sh on a correct kernel (measured)",
                    Optional.of(Stat.of(resyncs)), n == 1_000 ? Goal.SPEEDUP_AT_LEAST : Goal.NONE, 100, n == 1_000 ? "≥100× faster" : "—",
                    "every -C answered; an appended count above 0 would be -C false negatives"));
            return;
        }
        // Sampled: the per-rule cost of the loop depends on how full the table is, so sample it at
        // the midpoints of four fill levels and integrate; the steady-state resync at a full table.
        int sample = Math.min(opt.naiveSample(), n / 8);
        log(b + " N=" + n + ": naive -C/-A reconciler, sampled (" + sample + " rules at 4 fill levels + a full table)");
        var big = biggestChain(base, Family.V4);
        double perRuleFirst = 0;
        for (int q = 0; q < 4; q++) {
            int fill = (int) ((2L * q + 1) * big.rules().size() / 8);
            try (var ns = Netns.create(opt.prefix())) {
                restore(ns.runner(), backend, Family.V4, partialPayload(base, big, fill));
                var r = naive.run(ns, Naive.sample(big, fill, sample));
                require(r.appended() == sample, "naive sample appended " + r.summary());
                perRuleFirst += r.millis() / sample / 4;
            }
        }
        double perRuleResync;
        String resyncNote;
        try (var ns = Netns.create(opt.prefix())) {
            restore(ns.runner(), backend, Family.V4, RestoreRenderer.render(base, Family.V4));
            var r = naive.run(ns, Naive.sample(big, -1, sample));
            perRuleResync = r.millis() / sample;
            resyncNote = r.summary();
        }
        int total = base.ruleCount();
        add(new Row("first apply vs naive -C/-A", b, n, "ms", Optional.of(fwpFirst),
                "naive-sync.sh on an empty kernel (EXTRAPOLATED: " + sample + " rules at 4 fill levels × " + total + ")",
                Optional.of(new Stat(perRuleFirst * total, perRuleFirst * total, perRuleFirst * total, 1)), Goal.NONE, 0, "—",
                String.format(java.util.Locale.ROOT, "sampled per-rule cost %.2f ms", perRuleFirst)));
        add(new Row("no-op sync vs naive -C/-A", b, n, "ms", Optional.of(fwpNoop),
                "naive-sync.sh on a correct kernel (EXTRAPOLATED: " + sample + " rules × " + total + ")",
                Optional.of(new Stat(perRuleResync * total, perRuleResync * total, perRuleResync * total, 1)), Goal.NONE, 0, "—",
                String.format(java.util.Locale.ROOT, "sampled per-rule cost %.2f ms; sample %s", perRuleResync, resyncNote)));
    }

    // ---------------------------------------------------------------- helpers

    /** A rule set changed in exactly one rule, and how to make that change by hand. */
    record OneChange(String chain, CompiledRule before, CompiledRule after) {
        static OneChange of(RuleSet base, RuleSet edited) {
            for (var chain : base.chains(Family.V4)) {
                var other = edited.chain(Family.V4, chain.name()).orElseThrow();
                var ids = new HashSet<String>();
                other.rules().forEach(r -> ids.add(r.id()));
                var gone = chain.rules().stream().filter(r -> !ids.contains(r.id())).toList();
                if (gone.isEmpty()) continue;
                var baseIds = new HashSet<String>();
                chain.rules().forEach(r -> baseIds.add(r.id()));
                var added = other.rules().stream().filter(r -> !baseIds.contains(r.id())).toList();
                require(gone.size() == 1 && added.size() == 1, "the edited policy must differ in exactly one rule");
                return new OneChange(chain.name(), gone.get(0), added.get(0));
            }
            throw new IllegalStateException("the edited policy does not differ");
        }

        /** What a person with the raw tools does: save, find the rule's number, replace it in one line. */
        void byHand(CommandRunner runner, Backend backend, boolean forward) {
            var from = forward ? before : after;
            var to = forward ? after : before;
            String saved = save(runner, backend, Family.V4).stdout();
            int pos = 0;
            int found = -1;
            String prefix = "-A " + chain + " ";
            for (String line : saved.split("\n")) {
                if (!line.startsWith(prefix)) continue;
                pos++;
                if (line.contains(from.id())) {
                    found = pos;
                    break;
                }
            }
            require(found > 0, "rule to change not found in the raw namespace");
            restore(runner, backend, Family.V4, "*filter\n-R " + chain + " " + found + " " + RuleSpecs.spec(to) + "\nCOMMIT\n");
        }
    }

    /** Duplicates ×100 of ten rules appended (what a -C false negative does), and 1% of the rules deleted. */
    record Damage(String payload, int duplicates, int deletions) {
        static Damage of(RuleSet base) {
            var chain = biggestChain(base, Family.V4);
            int size = chain.rules().size();
            int dupRules = Math.min(10, size);
            int deletions = Math.max(1, size / 100);
            var sb = new StringBuilder("*filter\n");
            var deleted = new ArrayList<Integer>();
            for (int i = 0; i < deletions; i++) deleted.add(1 + (int) ((2L * i + 1) * size / (2L * deletions)));
            deleted.sort(Comparator.reverseOrder());
            for (int pos : deleted) sb.append("-D ").append(chain.name()).append(' ').append(pos).append('\n');
            var deletedSet = new HashSet<>(deleted);
            int dups = 0;
            for (int i = 0; i < dupRules; i++) {
                int idx = (int) ((long) i * size / dupRules);
                while (deletedSet.contains(idx + 1)) idx = (idx + 1) % size;
                for (int c = 0; c < 100; c++) {
                    sb.append(RuleSpecs.saveLine(chain.rules().get(idx))).append('\n');
                    dups++;
                }
            }
            sb.append("COMMIT\n");
            return new Damage(sb.toString(), dups, deletions);
        }
    }

    /** The rule set with only the first {@code fill} rules of {@code big}: a half-built table for sampling. */
    private static String partialPayload(RuleSet base, OwnedChain big, int fill) {
        var sb = new StringBuilder("*filter\n");
        for (var c : base.chains(Family.V4)) sb.append(':').append(c.name()).append(" - [0:0]\n");
        for (var j : base.jumps(Family.V4)) sb.append(RuleSpecs.saveLine(j)).append('\n');
        for (var c : base.chains(Family.V4)) {
            var rules = c.name().equals(big.name()) ? c.rules().subList(0, fill) : c.rules();
            for (var r : rules) sb.append(RuleSpecs.saveLine(r)).append('\n');
        }
        return sb.append("COMMIT\n").toString();
    }

    static OwnedChain biggestChain(RuleSet rs, Family family) {
        return rs.chains(family).stream().max(Comparator.comparingInt(c -> c.rules().size())).orElseThrow();
    }

    private RuleSet compile(int n, int edited) {
        var result = compiler.compile(List.of(PolicyGenerator.generate(n, edited)));
        return result.ruleSet().filter(x -> !result.hasErrors())
                .orElseThrow(() -> new IllegalStateException("generated policy does not compile: " + result.diagnostics()));
    }

    private Reconciler reconciler(Backend backend, Netns ns) {
        return reconciler(backend, ns, VerifyMode.AFTER_WRITE);
    }

    private Reconciler reconciler(Backend backend, Netns ns, VerifyMode mode) {
        return Reconciler.open(backend == Backend.NFT ? BackendChoice.NFT : BackendChoice.LEGACY, Optional.of(ns.name()),
                ReconcilerOptions.defaults().withVerify(mode));
    }

    static CommandResult restore(CommandRunner runner, Backend backend, Family family, String payload) {
        return runner.run(new Command(List.of(backend.restore(family), "--noflush", "--wait"), Optional.of(payload), Duration.ofMinutes(5)))
                .requireOk();
    }

    static CommandResult save(CommandRunner runner, Backend backend, Family family) {
        return runner.run(Command.of(backend.save(family), "-t", "filter").withTimeout(Duration.ofMinutes(5))).requireOk();
    }

    static double ms(Supplier<?> action) {
        long start = System.nanoTime();
        action.get();
        return (System.nanoTime() - start) / 1e6;
    }

    private static void close(Netns... all) {
        for (var ns : all) if (ns != null) ns.close();
    }

    static void require(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    private void add(Row row) {
        report.rows.add(row);
        log("  " + row.figure() + " [" + row.backend() + ", N=" + row.n() + "]: fwpolicy "
                + row.fwp().map(Stat::text).orElse("—") + " vs " + row.base().map(Stat::text).orElse("—") + " → " + row.ratioText()
                + " " + row.verdict() + " (load " + loadAvg() + ")");
    }

    static void log(String s) {
        System.err.println("[" + Instant.now().toString().substring(11, 19) + "] " + s);
    }

    static String loadAvg() {
        try {
            var parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private void machine() {
        var m = report.machine;
        m.put("date (UTC)", Instant.now().toString());
        m.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("memory", firstMatch("/proc/meminfo", "MemTotal:\\s+(\\d+ kB)"));
        m.put("kernel", firstLine("/proc/sys/kernel/osrelease"));
        m.put("cpu", firstMatch("/proc/cpuinfo", "model name\\s*:\\s*(.+)"));
        m.put("iptables", toolVersion("iptables-nft") + " / " + toolVersion("iptables-legacy"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("sizes", opt.sizes().toString());
        m.put("repeat", String.valueOf(opt.repeat()));
        m.put("quick", String.valueOf(opt.quick()));
        m.put("phases", new java.util.TreeSet<>(opt.phases()).toString());
        m.put("warm-up", "N=" + (opt.warmupSize() > 0 ? opt.warmupSize() : "min(2000, smallest size)") + ", " + opt.warmupRounds() + " round(s)");
        if (!opt.sidecarJavaOpts().isEmpty()) m.put("sidecar JVM options", String.join(" ", opt.sidecarJavaOpts()));
        m.put("load before (1/5/15 min)", loadAvg());
    }

    private static String toolVersion(String tool) {
        try {
            return new dev.fwpolicy.engine.dataplane.ProcessCommandRunner().run(Command.of(tool, "--version")).stdout().strip();
        } catch (RuntimeException e) {
            return tool + ": " + e.getMessage();
        }
    }

    private static String firstLine(String file) {
        try {
            return Files.readAllLines(Path.of(file)).get(0).strip();
        } catch (IOException | IndexOutOfBoundsException e) {
            return "?";
        }
    }

    private static String firstMatch(String file, String regex) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(Path.of(file)));
            return m.find() ? m.group(1).strip() : "?";
        } catch (IOException e) {
            return "?";
        }
    }
}
