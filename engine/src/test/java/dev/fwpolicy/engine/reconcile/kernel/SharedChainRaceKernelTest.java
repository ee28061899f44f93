package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 3 with another program writing into INPUT between fwpolicy's read-back and its
 * restore (issue 11, part 1): a restore wrapper first on PATH inserts a foreign rule at the top
 * of INPUT right before every real restore, so every rule number fwpolicy read is off by one
 * when its transaction runs. fwpolicy must still remove only its own stray jump.
 */
@Tag("kernel")
class SharedChainRaceKernelTest {

    static String source(Family f, int n) {
        return f == Family.V4 ? "198.51.100." + n + "/32" : "2001:db8:aaaa::" + n + "/128";
    }

    /** Every rule of {@code chain} that is not fwpolicy's, in order, as iptables-save prints it. */
    static List<String> foreignRules(CommandRunner runner, Backend backend, Family f, String chain) {
        return KernelSupport.saveText(runner, backend, f, "-t", "filter").lines()
                .filter(l -> l.startsWith("-A " + chain + " ") && !l.contains("fwp1:")).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWriterInsertingBeforeEveryRestoreLosesNoRule(Backend backend) {
        KernelSupport.requireKernel();
        RuleSet web = Examples.compiled().get("web");
        try (var netns = Netns.create();
             var shims = PathShims.create(tool -> {
                 Family f = tool.startsWith("ip6") ? Family.V6 : Family.V4;
                 String cli = backend.cli(f);
                 return "'" + PathShims.real(cli) + "' -w -I INPUT 1 -s " + source(f, 3) + " -m comment --comment foreign-C-concurrent -j ACCEPT";
             })) {
            var plain = KernelSupport.runner(netns);
            KernelSupport.reconciler(netns, backend).sync(web);
            for (Family f : Family.values()) {
                String jump = RuleSpecs.spec(web.jumps(f).get(0));
                KernelSupport.restore(plain, backend, f, "*filter\n"
                        + "-A INPUT -s " + source(f, 1) + " -m comment --comment foreign-A -j ACCEPT\n"
                        + "-A INPUT -s " + source(f, 2) + " -m comment --comment foreign-B -j ACCEPT\n"
                        + "-A INPUT " + jump + "\nCOMMIT\n");
            }
            var before = foreignRules(plain, backend, Family.V4, "INPUT");
            assertThat(before).hasSize(2);

            var report = KernelSupport.reconciler(shims.runner(netns), backend, dev.fwpolicy.engine.reconcile.ReconcilerOptions.defaults()).sync(web);

            assertThat(report.counts().removed()).as(report.summary()).isEqualTo(2); // the stray copy in each family
            for (Family f : Family.values()) {
                long restores = shims.calls().stream().filter(c -> c.startsWith(backend.restore(f) + " ")).count();
                assertThat(restores).as("the wrapper ran").isPositive();
                List<String> concurrent = Collections.nCopies((int) restores,
                        "-A INPUT -s " + source(f, 3) + " -m comment --comment foreign-C-concurrent -j ACCEPT");
                var expected = new java.util.ArrayList<>(concurrent);
                expected.add("-A INPUT -s " + source(f, 1) + " -m comment --comment foreign-A -j ACCEPT");
                expected.add("-A INPUT -s " + source(f, 2) + " -m comment --comment foreign-B -j ACCEPT");
                assertThat(foreignRules(plain, backend, f, "INPUT")).as("%s foreign rules of INPUT", f).isEqualTo(expected);
                var table = KernelSupport.dataplane(plain, backend).read(f);
                assertThat(Exactness.problems(table, web, f)).as("%s: fwpolicy's rules exactly once", f).isEmpty();
                assertThat(table.chain("INPUT").orElseThrow().rules().get(0).id()).as("%s: the jump is first", f).isPresent();
            }
        }
    }

    /**
     * What a delete by spec can match: iptables compares the whole rule, comment included, so
     * foreign rules with fwpolicy's body but no or another comment stay, whatever their position;
     * every fwp1 rule that is not the one desired jump goes: a stray copy, a tampered copy, and
     * (nft) a rule `nft` wrote natively with an fwp1 comment and a set, which iptables-nft-save
     * prints lossily without the set: the delete by that lossy print still finds it.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void deletesBySpecHitOnlyFwpolicysRules(Backend backend) {
        KernelSupport.requireKernel();
        RuleSet web = Examples.compiled().get("web");
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            var reconciler = KernelSupport.reconciler(netns, backend);
            reconciler.sync(web);
            String jump = RuleSpecs.spec(web.jumps(Family.V4).get(0));
            String target = jump.substring(jump.lastIndexOf("-j "));
            KernelSupport.restore(runner, backend, Family.V4, "*filter\n"
                    + "-I INPUT 1 " + target + "\n"
                    + "-A INPUT -m comment --comment \"another program\" " + target + "\n"
                    + "-A INPUT -p udp " + jump + "\n"
                    + "-A INPUT " + jump + "\n"
                    + "-A INPUT " + target + "\nCOMMIT\n");
            if (backend == Backend.NFT) {
                runner.run(dev.fwpolicy.engine.dataplane.Command.of("nft", "add", "rule", "ip", "filter", "INPUT", "ip", "saddr",
                        "{", "192.0.2.5,", "192.0.2.6", "}", "accept", "comment", "\"fwp1:BBBBBBBBBBBBBBBB forged\"")).requireOk();
                assertThat(KernelSupport.saveText(runner, backend, Family.V4)).contains("-A INPUT -m comment --comment \"fwp1:BBBBBBBBBBBBBBBB forged\" -j ACCEPT");
            }
            var foreignBefore = foreignRules(runner, backend, Family.V4, "INPUT");
            assertThat(foreignBefore).hasSize(3);

            var report = reconciler.sync(web);

            assertThat(report.counts().removed()).as(report.summary()).isEqualTo(backend == Backend.NFT ? 3 : 2);
            assertThat(foreignRules(runner, backend, Family.V4, "INPUT")).isEqualTo(foreignBefore);
            assertThat(Exactness.problems(KernelSupport.dataplane(runner, backend).read(Family.V4), web, Family.V4)).isEmpty();
            if (backend == Backend.NFT) {
                String listed = runner.run(dev.fwpolicy.engine.dataplane.Command.of("nft", "list", "chain", "ip", "filter", "INPUT")).requireOk().stdout();
                assertThat(listed).doesNotContain("192.0.2.5");
            }
        }
    }

    /**
     * A bounded concurrent writer (1,000 single-rule inserts and deletes in INPUT and in its own
     * chain, as kube-proxy or a CNI plugin would do them) while fwpolicy repairs its INPUT jump
     * 200 times (a stray copy, a tampered copy, or the jump deleted before each sync). Afterwards
     * the foreign rules are exactly what the writer left, in its order, and fwpolicy's are there
     * exactly once.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aConcurrentWriterKeepsExactlyItsRulesWhileFwpolicySyncs(Backend backend) throws Exception {
        KernelSupport.requireKernel();
        RuleSet desired = dev.fwpolicy.engine.reconcile.TestRuleSets.generate(2, 3, 0);
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            var reconciler = KernelSupport.reconciler(netns, backend);
            reconciler.sync(desired);
            String cli = backend.cli(Family.V4);
            runner.run(dev.fwpolicy.engine.dataplane.Command.of(cli, "-w", "-N", "WRITER")).requireOk();
            var writer = new Writer(runner, cli, new java.util.Random(11));
            var thread = new Thread(writer, "concurrent-writer");
            thread.start();
            String jump = RuleSpecs.spec(desired.jumps(Family.V4).get(0));
            int wrote = 0;
            for (int sync = 0; sync < 200; sync++) {
                String damage = switch (sync % 3) {
                    case 0 -> "-A INPUT " + jump;
                    case 1 -> "-A INPUT -p udp " + jump;
                    default -> "-D INPUT " + jump;
                };
                KernelSupport.restore(runner, backend, Family.V4, "*filter\n" + damage + "\nCOMMIT\n");
                if (!reconciler.sync(desired).wroteNothing()) wrote++;
            }
            thread.join(120_000);
            assertThat(thread.isAlive()).as("writer finished").isFalse();
            assertThat(writer.failure).as("every writer command succeeded").isEmpty();
            assertThat(writer.ops).isEqualTo(Writer.OPS);
            assertThat(wrote).as("every sync had a jump to repair").isEqualTo(200);
            reconciler.sync(desired);

            assertThat(foreignRules(runner, backend, Family.V4, "INPUT")).as("INPUT: what the writer left").isEqualTo(writer.input);
            assertThat(foreignRules(runner, backend, Family.V4, "WRITER")).as("the writer's own chain").isEqualTo(writer.own);
            for (Family f : Family.values()) {
                assertThat(Exactness.problems(KernelSupport.dataplane(runner, backend).read(f), desired, f)).isEmpty();
            }
        }
    }

    /** Inserts and deletes single rules with the iptables CLI, keeping its own model of what it left. */
    private static final class Writer implements Runnable {
        static final int OPS = 1000;
        final CommandRunner runner;
        final String cli;
        final java.util.Random random;
        final List<String> input = new java.util.ArrayList<>();
        final List<String> own = new java.util.ArrayList<>();
        volatile java.util.Optional<String> failure = java.util.Optional.empty();
        volatile int ops;

        Writer(CommandRunner runner, String cli, java.util.Random random) {
            this.runner = runner;
            this.cli = cli;
            this.random = random;
        }

        @Override
        public void run() {
            try {
                for (int n = 0; n < OPS; n++) {
                    String spec = "-s 203.0.113." + (n % 250 + 1) + "/32 -m comment --comment writer-" + n + " -j ACCEPT";
                    int choice = random.nextInt(8);
                    if (choice <= 1) {
                        run("-I", "INPUT", "1", spec);
                        input.add(0, "-A INPUT " + spec);
                    } else if (choice == 2) {
                        run("-A", "INPUT", spec);
                        input.add("-A INPUT " + spec);
                    } else if (choice <= 4 && !input.isEmpty()) {
                        String victim = input.remove(random.nextInt(input.size()));
                        run("-D", "INPUT", victim.substring("-A INPUT ".length()));
                    } else if (choice <= 6 || own.isEmpty()) {
                        int at = random.nextInt(own.size() + 1);
                        run("-I", "WRITER", String.valueOf(at + 1), spec.replace("ACCEPT", "RETURN"));
                        own.add(at, "-A WRITER " + spec.replace("ACCEPT", "RETURN"));
                    } else {
                        int at = random.nextInt(own.size());
                        run("-D", "WRITER", String.valueOf(at + 1));
                        own.remove(at);
                    }
                    ops = n + 1;
                }
            } catch (RuntimeException e) {
                failure = java.util.Optional.of(e.toString());
            }
        }

        private void run(String op, String chain, String... rest) {
            var argv = new java.util.ArrayList<>(List.of(cli, "-w", op, chain));
            for (String r : rest) argv.addAll(List.of(r.split(" ")));
            runner.run(new dev.fwpolicy.engine.dataplane.Command(argv, java.util.Optional.empty(),
                    dev.fwpolicy.engine.dataplane.Command.DEFAULT_TIMEOUT)).requireOk();
        }
    }
}
