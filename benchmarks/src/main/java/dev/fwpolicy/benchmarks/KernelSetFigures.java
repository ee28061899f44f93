package dev.fwpolicy.benchmarks;

import dev.fwpolicy.benchmarks.Report.Goal;
import dev.fwpolicy.benchmarks.Report.Row;
import dev.fwpolicy.benchmarks.Report.Stat;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.SyncReport;
import dev.fwpolicy.engine.reconcile.VerifyMode;
import dev.fwpolicy.engine.source.SourceFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Kernel set figures (issue 13), side by side in one run: the packet path through a veth pair
 * with N addresses as expanded rules, as one kernel set, and with no rules; one member changed
 * in a 50,000-member set against a hand-written {@code ipset del}+{@code add}; and a first apply
 * of a 50,000-member set against a raw {@code ipset restore} of the same members.
 */
final class KernelSetFigures {
    private static final String SERVER = "10.77.0.1";
    private static final String CLIENT = "10.77.0.2";
    private final SideBySide.Options opt;
    private final Report report;

    KernelSetFigures(SideBySide.Options opt, Report report) {
        this.opt = opt;
        this.report = report;
    }

    /** N hosts in 172.16.0.0/12 that never merge (every other address) and never match the client. */
    static List<String> hosts(int n, int changed) {
        return IntStream.range(0, n).map(i -> i == changed ? 2 * i + 1 : 2 * i)
                .mapToObj(h -> "172." + (16 + (h >> 16 & 15)) + "." + (h >> 8 & 255) + "." + (h & 255)).toList();
    }

    static String policy(int n, int changed) {
        return "policy bench {\n  set blocked = { " + String.join(", ", hosts(n, changed)) + " }\n  inbound {\n"
                + "    deny from $blocked \"blocked clients\"\n  }\n}\n";
    }

    private static RuleSet compile(int n, int changed) {
        var result = new Compiler().compile(List.of(new SourceFile("bench.fwpolicy", policy(n, changed))));
        return result.ruleSet().filter(x -> !result.hasErrors())
                .orElseThrow(() -> new IllegalStateException("set policy does not compile: " + result.diagnostics()));
    }

    void figures(Backend backend, int n) {
        packetPath(backend, n);
        if (n == opt.sizes().stream().max(Integer::compare).orElse(n)) {
            memberChange(backend, n);
            firstApply(backend, n);
        }
    }

    // ------------------------------------------------------------ packet path

    /** Round-trip time of pings from a client namespace into a server whose INPUT holds the variant. */
    private void packetPath(Backend backend, int n) {
        String b = backend.label();
        var expanded = new ArrayList<Double>();
        var set = new ArrayList<Double>();
        var none = new ArrayList<Double>();
        SideBySide.log(b + " N=" + n + ": packet path (expanded rules / kernel set / no rules)");
        String rules = hosts(n, -1).stream().map(h -> "-A INPUT -s " + h + "/32 -j DROP").collect(Collectors.joining("\n", "*filter\n", "\nCOMMIT\n"));
        String members = hosts(n, -1).stream().map(h -> "add fwp-bench " + h).collect(Collectors.joining("\n", "create fwp-bench hash:net family inet\n", "\n"));
        try (var server = Netns.create(opt.prefix()); var client = Netns.create(opt.prefix())) {
            link(server, client);
            var s = server.runner();
            for (int r = 0; r < opt.repeat(); r++) {
                none.add(ping(client));
                run(s, List.of(backend.restore(Family.V4), "--noflush", "--wait"), rules);
                expanded.add(ping(client));
                run(s, List.of(backend.restore(Family.V4), "--wait"), "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
                run(s, List.of("ipset", "restore"), members);
                run(s, List.of(backend.restore(Family.V4), "--noflush", "--wait"), "*filter\n-A INPUT -m set --match-set fwp-bench src -j DROP\nCOMMIT\n");
                set.add(ping(client));
                run(s, List.of(backend.restore(Family.V4), "--wait"), "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
                run(s, List.of("ipset", "destroy", "fwp-bench"), null);
            }
        }
        boolean target = n == 50_000;
        add(new Row("packet path: ping RTT, kernel set", b, n, "µs", Optional.of(Stat.of(set)), "no rules in INPUT",
                Optional.of(Stat.of(none)), target ? Goal.RATIO_AT_MOST : Goal.NONE, 1.1, target ? "≤1.10×" : "—",
                "one -m set --match-set rule, N members in a hash:net; avg of 200 pings at 2 ms, median over runs"));
        add(new Row("packet path: ping RTT, expanded rules", b, n, "µs", Optional.of(Stat.of(expanded)), "no rules in INPUT",
                Optional.of(Stat.of(none)), Goal.NONE, 0, "—", "N non-matching -s rules in INPUT, every packet walks them all"));
    }

    private static void link(Netns server, Netns client) {
        var host = new dev.fwpolicy.engine.dataplane.ProcessCommandRunner();
        host.run(Command.of("ip", "link", "add", "fwpbs", "netns", server.name(), "type", "veth", "peer", "name", "fwpbc",
                "netns", client.name())).requireOk();
        for (var ns : List.of(server, client)) host.run(Command.of("ip", "-n", ns.name(), "link", "set", "lo", "up")).requireOk();
        host.run(Command.of("ip", "-n", server.name(), "addr", "add", SERVER + "/24", "dev", "fwpbs")).requireOk();
        host.run(Command.of("ip", "-n", client.name(), "addr", "add", CLIENT + "/24", "dev", "fwpbc")).requireOk();
        host.run(Command.of("ip", "-n", server.name(), "link", "set", "fwpbs", "up")).requireOk();
        host.run(Command.of("ip", "-n", client.name(), "link", "set", "fwpbc", "up")).requireOk();
    }

    /** Average round trip in µs of 200 pings (the first 10, which warm caches and ARP, are not counted). */
    private static double ping(Netns client) {
        var c = client.runner();
        c.run(Command.of("ping", "-q", "-c", "10", "-i", "0.002", SERVER)).requireOk();
        String out = c.run(Command.of("ping", "-q", "-c", "200", "-i", "0.002", SERVER).withTimeout(Duration.ofMinutes(2))).requireOk().stdout();
        // rtt min/avg/max/mdev = 0.031/0.043/0.102/0.009 ms
        var line = out.lines().filter(l -> l.contains("min/avg/max")).findFirst().orElseThrow(() -> new IllegalStateException("ping: " + out));
        String[] v = line.substring(line.indexOf('=') + 1).trim().split(" ")[0].split("/");
        return Double.parseDouble(v[1]) * 1000;
    }

    private static void run(CommandRunner runner, List<String> argv, String stdin) {
        runner.run(new Command(argv, Optional.ofNullable(stdin), Duration.ofMinutes(5))).requireOk();
    }

    // ------------------------------------------------------------ one member changed

    private void memberChange(Backend backend, int n) {
        String b = backend.label();
        SideBySide.log(b + " N=" + n + ": one member changed in an " + n + "-member set");
        var base = compile(n, -1);
        var edited = compile(n, n / 2);
        var fwp = new ArrayList<Double>();
        var raw = new ArrayList<Double>();
        var rawSetOnly = new ArrayList<Double>();
        int maxSetLines = 0;
        int iptablesWrites = 0;
        try (var ns = Netns.create(opt.prefix()); var rawNs = Netns.create(opt.prefix())) {
            var rec = Reconciler.open(choice(backend), Optional.of(ns.name()), ReconcilerOptions.defaults().withVerify(VerifyMode.ON_NEXT_READ));
            rec.sync(base);
            rec.sync(base);
            // As the kernel phase's warm-up: a sidecar runs these paths on every tick, so the
            // figure is the JIT-compiled steady state, not the first interpreted runs.
            for (int i = 0; i < opt.warmupRounds(); i++) {
                rec.sync(edited);
                rec.sync(base);
            }
            var rr = rawNs.runner();
            var firstPayload = base.sets().get(0);
            run(rr, List.of("ipset", "restore"), firstPayload.members().stream().map(c -> "add " + firstPayload.name() + " " + c.withPrefix())
                    .collect(Collectors.joining("\n", "create " + firstPayload.name() + " hash:net family inet maxelem 65536\n", "\n")));
            String a = hosts(n, -1).get(n / 2), bHost = hosts(n, n / 2).get(n / 2);
            for (int r = 0; r < opt.repeat(); r++) {
                boolean forward = r % 2 == 0;
                var target = forward ? edited : base;
                long start = System.nanoTime();
                SyncReport report = rec.sync(target);
                fwp.add((System.nanoTime() - start) / 1e6);
                maxSetLines = Math.max(maxSetLines, report.sets().payloadLines());
                iptablesWrites += report.restoreInvocations();
                String del = forward ? a : bHost, add = forward ? bHost : a;
                String set = firstPayload.name();
                double t = SideBySide.ms(() -> SideBySide.save(rr, backend, Family.V4)) + SideBySide.ms(() -> SideBySide.save(rr, backend, Family.V6));
                double s = SideBySide.ms(() -> rr.run(Command.of("ipset", "save")).requireOk())
                        + SideBySide.ms(() -> rr.run(new Command(List.of("ipset", "restore"), Optional.of("del " + set + " " + del + "\nadd " + set + " " + add + "\n"),
                        Duration.ofMinutes(1))).requireOk());
                raw.add(t + s);
                rawSetOnly.add(s);
            }
        }
        add(new Row("one member changed in a set, verify on next read", b, n, "ms", Optional.of(Stat.of(fwp)),
                "raw iptables-save v4+v6 + ipset save + hand-written 2-line ipset restore (the same read-back and write)",
                Optional.of(Stat.of(raw)), Goal.RATIO_AT_MOST, 1.2, "≤1.20×",
                "fwpolicy: read v4+v6 and ipset save, plan, one ipset restore; " + maxSetLines + " set line(s), " + iptablesWrites + " iptables restore(s) over all runs"));
        add(new Row("one member changed in a set", b, n, "ms", Optional.of(Stat.of(fwp)), "raw ipset save + 2-line ipset restore only",
                Optional.of(Stat.of(rawSetOnly)), Goal.NONE, 0, "—", "same fwpolicy runs; the baseline skips the iptables read-back"));
        add(new Row("one member changed in a set: payload lines", b, n, "lines", Optional.of(Stat.of(List.of((double) maxSetLines))), "—",
                Optional.empty(), Goal.VALUE_AT_MOST, 4, "≤4", "largest set payload over the runs"));
        add(new Row("one member changed in a set: iptables writes", b, n, "restores", Optional.of(Stat.of(List.of((double) iptablesWrites))), "—",
                Optional.empty(), Goal.VALUE_AT_MOST, 0, "0", "iptables-restore calls over all runs"));
    }

    // ------------------------------------------------------------ first apply

    private void firstApply(Backend backend, int n) {
        String b = backend.label();
        SideBySide.log(b + " N=" + n + ": first apply of an " + n + "-member set");
        var base = compile(n, -1);
        var set = base.sets().get(0);
        String members = set.members().stream().map(c -> "add " + set.name() + " " + c.withPrefix())
                .collect(Collectors.joining("\n", "create " + set.name() + " hash:net family inet maxelem 65536\n", "\n"));
        var fwp = new ArrayList<Double>();
        var raw = new ArrayList<Double>();
        for (int r = 0; r < opt.repeat(); r++) {
            try (var ns = Netns.create(opt.prefix()); var rawNs = Netns.create(opt.prefix())) {
                var rec = Reconciler.open(choice(backend), Optional.of(ns.name()), ReconcilerOptions.defaults().withVerify(VerifyMode.ON_NEXT_READ));
                long start = System.nanoTime();
                var report = rec.sync(base);
                fwp.add((System.nanoTime() - start) / 1e6);
                SideBySide.require(report.sets().payloadLines() == n + 1, "first apply wrote " + report.sets().payloadLines() + " set lines");
                var rr = rawNs.runner();
                raw.add(SideBySide.ms(() -> rr.run(new Command(List.of("ipset", "restore"), Optional.of(members), Duration.ofMinutes(5))).requireOk()));
            }
        }
        add(new Row("first apply of a set, verify on next read", b, n, "ms", Optional.of(Stat.of(fwp)),
                "raw ipset restore of the same members (" + (n + 1) + " lines)", Optional.of(Stat.of(raw)), Goal.RATIO_AT_MOST, 1.2, "≤1.20×",
                "fwpolicy: read v4+v6 and ipset save, plan, ipset restore, iptables-restore of the few rules (v4+v6)"));
    }

    private static BackendChoice choice(Backend backend) {
        return backend == Backend.NFT ? BackendChoice.NFT : BackendChoice.LEGACY;
    }

    private void add(Row row) {
        report.rows.add(row);
        SideBySide.log("  " + row.figure() + " [" + row.backend() + ", N=" + row.n() + "]: fwpolicy "
                + row.fwp().map(Stat::text).orElse("—") + " vs " + row.base().map(Stat::text).orElse("—") + " → " + row.ratioText()
                + " " + row.verdict());
    }
}
