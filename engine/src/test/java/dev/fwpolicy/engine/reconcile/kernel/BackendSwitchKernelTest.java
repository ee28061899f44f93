package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11 part 2: after a backend switch exactly one backend holds fwpolicy's rules. Without
 * this, the old copy (with its default deny) stays in force beside the new one, unseen by the
 * new backend's tools, and a flow the new policy allows is dropped while apply reports success.
 */
@Tag("kernel")
class BackendSwitchKernelTest {

    /** Everything of {@code backend} (all tables, both families), minus fwpolicy's lines. */
    private static String foreign(CommandRunner runner, Backend backend) {
        var sb = new StringBuilder();
        for (Family f : Family.values()) {
            sb.append(KernelSupport.saveText(runner, backend, f).lines()
                    .filter(l -> !l.contains("fwp1:") && !l.contains("FWP-")).collect(Collectors.joining("\n")));
        }
        return sb.toString();
    }

    private static String own(CommandRunner runner, Backend backend) {
        var sb = new StringBuilder();
        for (Family f : Family.values()) {
            sb.append(KernelSupport.saveText(runner, backend, f).lines()
                    .filter(l -> l.contains("fwp1:") || l.contains("FWP-")).collect(Collectors.joining("\n")));
        }
        return sb.toString();
    }

    /**
     * From: the backend fwpolicy applied to first. Then the host switches: for nft → legacy
     * another program writes a dozen legacy rules and auto-detection follows it (the issue's
     * case); legacy → nft is an operator forcing {@code --backend nft}.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void afterASwitchOnlyTheNewBackendHoldsFwpolicysRules(Backend from) {
        KernelSupport.requireKernel();
        RuleSet web = Examples.compiled().get("web");
        Backend to = from == Backend.NFT ? Backend.LEGACY : Backend.NFT;
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            KernelSupport.reconciler(netns, from).sync(web);
            for (Family f : Family.values()) {
                String src = f == Family.V4 ? "198.51.100.7/32" : "2001:db8:aaaa::7/128";
                KernelSupport.restore(runner, from, f, "*filter\n-A INPUT -s " + src + " -m comment --comment foreign-old -j ACCEPT\nCOMMIT\n");
                var sb = new StringBuilder("*filter\n:KUBE-FIREWALL - [0:0]\n-A INPUT -j KUBE-FIREWALL\n");
                for (int i = 1; i <= 6; i++) sb.append("-A KUBE-FIREWALL -s ").append(f == Family.V4 ? "192.0.2." + i + "/32" : "2001:db8::" + i + "/128").append(" -j DROP\n");
                KernelSupport.restore(runner, to, f, sb.append("COMMIT\n").toString());
            }
            String foreignFrom = foreign(runner, from);
            String foreignTo = foreign(runner, to);
            assertThat(own(runner, from)).contains("fwp1:");

            var dataplane = IptablesDataplane.open(runner, from == Backend.NFT ? BackendChoice.AUTO : BackendChoice.NFT);
            assertThat(dataplane.backend().backend()).isEqualTo(to);
            assertThat(dataplane.backend().ownRulesElsewhere()).as(dataplane.backend().reason()).isPositive();
            var report = new Reconciler(dataplane).sync(web);

            assertThat(report.warnings()).singleElement().asString().contains("removed").contains(from.label());
            assertThat(own(runner, from)).as("fwpolicy's rules left in %s", from).isEmpty();
            assertThat(foreign(runner, from)).as("foreign rules of %s", from).isEqualTo(foreignFrom);
            assertThat(foreign(runner, to)).as("foreign rules of %s", to).isEqualTo(foreignTo);
            for (Family f : Family.values()) {
                assertThat(Exactness.problems(KernelSupport.dataplane(runner, to).read(f), web, f)).isEmpty();
            }
            var again = IptablesDataplane.open(runner, from == Backend.NFT ? BackendChoice.AUTO : BackendChoice.NFT);
            assertThat(again.backend().ownRulesElsewhere()).isZero();
            var quiet = new Reconciler(again).sync(web);
            assertThat(quiet.wroteNothing()).isTrue();
            assertThat(quiet.warnings()).isEmpty();
        }
    }

    /**
     * The symptom, with packets: the old policy (deny everything) in the old backend, a
     * new policy that admits ping applied after the switch. The ping passes only if the old
     * backend no longer holds the old deny.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFlowTheNewPolicyAllowsPassesAfterTheSwitch(Backend from) {
        KernelSupport.requireKernel();
        var denyAll = new dev.fwpolicy.engine.reconcile.TestRuleSets.Builder();
        denyAll.chain(Family.V4, "FWP-INPUT").rule("", "default deny", "-j DROP");
        denyAll.jump(Family.V4, "INPUT", "FWP-INPUT");
        var allowPing = new dev.fwpolicy.engine.reconcile.TestRuleSets.Builder();
        allowPing.chain(Family.V4, "FWP-INPUT").rule("-p icmp", "ping", "-m icmp --icmp-type 8 -j ACCEPT").rule("", "default deny", "-j DROP");
        allowPing.jump(Family.V4, "INPUT", "FWP-INPUT");
        Backend to = from == Backend.NFT ? Backend.LEGACY : Backend.NFT;
        try (var pair = new dev.fwpolicy.engine.testing.NetnsPair()) {
            pair.ipBatch(pair.server, java.util.List.of("address add 10.99.0.1/24 dev fwps"));
            pair.ipBatch(pair.client, java.util.List.of("address add 10.99.0.2/24 dev fwpc"));
            CommandRunner server = new dev.fwpolicy.engine.dataplane.ProcessCommandRunner().inNetns(pair.server);
            CommandRunner client = new dev.fwpolicy.engine.dataplane.ProcessCommandRunner().inNetns(pair.client);
            java.util.function.BooleanSupplier ping = () -> client.run(Command.of("ping", "-c", "1", "-W", "1", "10.99.0.1")).ok();
            assertThat(ping.getAsBoolean()).as("ping before any policy").isTrue();
            new Reconciler(IptablesDataplane.open(server, KernelSupport.choice(from))).sync(denyAll.build("deny"));
            assertThat(ping.getAsBoolean()).as("ping under the old deny-all").isFalse();
            var foreign = new StringBuilder("*filter\n:KUBE-FIREWALL - [0:0]\n");
            for (int i = 1; i <= 11; i++) foreign.append("-A KUBE-FIREWALL -s 192.0.2.").append(i).append("/32 -j DROP\n");
            KernelSupport.restore(server, to, Family.V4, foreign.append("COMMIT\n").toString());

            var switched = new Reconciler(IptablesDataplane.open(server, from == Backend.NFT ? BackendChoice.AUTO : BackendChoice.NFT));
            assertThat(switched.backend().backend()).isEqualTo(to);
            switched.sync(allowPing.build("ping"));

            assertThat(ping.getAsBoolean()).as("ping the new policy admits, after switching %s -> %s", from, to).isTrue();
        }
    }

    /** istio #61019: a detection that probes legacy instantiates its tables and flips the next detection. */
    @Test
    void detectionAndAnNftSyncCreateNoLegacyTable() {
        KernelSupport.requireKernel();
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            var reconciler = new Reconciler(IptablesDataplane.open(runner, BackendChoice.AUTO));
            assertThat(reconciler.backend().backend()).isEqualTo(Backend.NFT);
            reconciler.sync(Examples.compiled().get("web"));
            new Reconciler(IptablesDataplane.open(runner, BackendChoice.NFT)).sync(Examples.compiled().get("web"));
            String legacyTables = runner.run(Command.of("cat", "/proc/net/ip_tables_names", "/proc/net/ip6_tables_names")).requireOk().stdout();
            assertThat(legacyTables).as("legacy tables instantiated in the namespace").isBlank();
        }
    }
}
