package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.ProcessCommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11 part 3: the process applying a 20,000-rule set is SIGKILLed at chosen moments (by a
 * restore wrapper on PATH, so the moment is exact): between the IPv4 and the IPv6 restore, with
 * the IPv4 payload cut half-way (the writer died while feeding it), and while the IPv4 restore
 * runs. Each family's table is then the old or the new set, never a mix, and the next start
 * converges with no duplicate and no change to foreign rules.
 */
@Tag("kernel")
class CrashKernelTest {
    static final int BIG = 20_000;

    private static RuleSet after;

    /** What the killed process applies: 20,000 IPv4 rules and 200 IPv6 rules in one policy. */
    static synchronized RuleSet after() {
        if (after == null) after = build();
        return after;
    }

    private static RuleSet build() {
        var b = new TestRuleSets.Builder();
        for (Family f : Family.values()) {
            var input = b.chain(f, "FWP-INPUT");
            input.rule("-i lo", "loopback", "-j ACCEPT");
            input.rule("", "policy big", "-j FWP-I-big");
            var big = b.chain(f, "FWP-I-big");
            int n = f == Family.V4 ? BIG : 200;
            for (int r = 0; r < n; r++) {
                String src = f == Family.V4 ? "10." + (r / 62500) + "." + (r / 250 % 250) + "." + (r % 250 + 1) + "/32"
                        : "2001:db8:9::" + Integer.toHexString(r + 1) + "/128";
                big.rule("-s " + src + " -p tcp", "big " + r, "-m tcp --dport " + (1000 + r % 50) + " -j ACCEPT");
            }
            b.jump(f, "INPUT", "FWP-INPUT");
        }
        return b.build("crash-after");
    }

    static RuleSet before() {
        return TestRuleSets.generate(3, 4, 0);
    }

    /** The child process: one {@code Reconciler.sync}, as {@code fwpolicy apply} does, through the shims. */
    public static void main(String[] args) {
        String netns = args[0];
        Backend backend = Backend.valueOf(args[1]);
        String path = args[2] + ":" + Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        CommandRunner runner = new ProcessCommandRunner(Optional.of(path)).inNetns(netns);
        new Reconciler(KernelSupport.dataplane(runner, backend)).sync(after());
        System.out.println("applied");
        System.exit(0);
    }

    private static String foreign(CommandRunner runner, Backend backend) {
        var sb = new StringBuilder();
        for (Family f : Family.values()) {
            sb.append(KernelSupport.saveText(runner, backend, f).lines()
                    .filter(l -> !l.contains("fwp1:") && !l.contains("FWP-")).collect(Collectors.joining("\n")));
        }
        return sb.toString();
    }

    /**
     * @param tool   the restore whose wrapper kills the applying process
     * @param hook   what that wrapper does, with the payload read into {@code $tmp}, before the real restore
     * @param v4, v6 which set each family must hold right after the crash: OLD, NEW, or EITHER
     */
    @ParameterizedTest(name = "{0} {1}: v4 {4}, v6 {5}")
    @CsvSource(delimiter = '|', value = {
        "NFT    | between-families | ip6 | kill -9 $pid; exit 1                                                   | NEW    | OLD",
        "LEGACY | between-families | ip6 | kill -9 $pid; exit 1                                                   | NEW    | OLD",
        "NFT    | payload-cut      | ip4 | head -n 10000 \"$tmp\" > \"$tmp.cut\"; mv \"$tmp.cut\" \"$tmp\"; kill -9 $pid | OLD    | OLD",
        "LEGACY | payload-cut      | ip4 | head -n 10000 \"$tmp\" > \"$tmp.cut\"; mv \"$tmp.cut\" \"$tmp\"; kill -9 $pid | OLD    | OLD",
        "NFT    | during-restore   | ip4 | (sleep 0.05; kill -9 $pid) &                                           | EITHER | OLD",
        "LEGACY | during-restore   | ip4 | (sleep 0.05; kill -9 $pid) &                                           | EITHER | OLD"})
    void aKilledApplyLeavesOldOrNewAndTheNextStartConverges(Backend backend, String moment, String tool, String hook,
                                                            String v4, String v6) throws Exception {
        KernelSupport.requireKernel();
        Path pidFile = Files.createTempFile("fwp-crash-", ".pid");
        String wait = "while [ ! -s '" + pidFile + "' ]; do sleep 0.01; done; pid=$(cat '" + pidFile + "'); ";
        try (var netns = Netns.create();
             var shims = PathShims.create(name -> name.equals(backend.restore(tool.equals("ip6") ? Family.V6 : Family.V4)) ? wait + hook : "")) {
            var runner = KernelSupport.runner(netns);
            for (Family f : Family.values()) {
                String src = f == Family.V4 ? "198.51.100.1/32" : "2001:db8:aaaa::1/128";
                KernelSupport.restore(runner, backend, f, "*filter\n:KUBE-FIREWALL - [0:0]\n-A INPUT -j KUBE-FIREWALL\n-A INPUT -s " + src
                        + " -m comment --comment foreign -j ACCEPT\n-A KUBE-FIREWALL -s " + src + " -j DROP\nCOMMIT\n");
            }
            KernelSupport.reconciler(netns, backend).sync(before());
            String foreignBefore = foreign(runner, backend);

            var child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashKernelTest.class.getName(),
                    netns.name(), backend.name(), shims.dir().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Files.writeString(pidFile, Long.toString(child.pid()));
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the applying process ended").isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL at the chosen moment").isEqualTo(128 + 9);
            assertThat(shims.calls()).anyMatch(c -> c.startsWith(backend.restore(Family.V4) + " "));

            for (Family f : Family.values()) {
                var table = KernelSupport.dataplane(runner, backend).read(f);
                boolean old = Exactness.problems(table, before(), f).isEmpty();
                boolean neu = Exactness.problems(table, after(), f).isEmpty();
                String expected = f == Family.V4 ? v4 : v6;
                assertThat(expected.equals("OLD") ? old : expected.equals("NEW") ? neu : old || neu)
                        .as("%s right after the crash holds the %s set", f, expected).isTrue();
            }
            assertThat(foreign(runner, backend)).isEqualTo(foreignBefore);

            var restarted = KernelSupport.reconciler(netns, backend);
            restarted.sync(after());
            for (Family f : Family.values()) {
                assertThat(Exactness.problems(KernelSupport.dataplane(runner, backend).read(f), after(), f)).as("%s converged", f).isEmpty();
            }
            assertThat(foreign(runner, backend)).as("foreign rules").isEqualTo(foreignBefore);
            assertThat(KernelSupport.reconciler(netns, backend).sync(after()).wroteNothing()).as("a further start adopts").isTrue();
        } finally {
            Files.deleteIfExists(pidFile);
        }
    }
}
