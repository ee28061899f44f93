package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.TestRuleSets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 3: chains and rules fwpolicy does not own (a fake KUBE-… and DOCKER setup, rules in
 * INPUT before and after fwpolicy's jump, a nat table) are byte-for-byte the same in
 * iptables-save before and after every apply: creating, changing, repairing and removing.
 */
@Tag("kernel")
class ForeignRulesKernelTest {

    private static String foreignFilter(Family f) {
        String addr = f == Family.V4 ? "172.17.0.2/32" : "fd00:17::2/128";
        return """
                *filter
                :KUBE-SERVICES - [0:0]
                :KUBE-FIREWALL - [0:0]
                :DOCKER - [0:0]
                :DOCKER-USER - [0:0]
                -A INPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -A INPUT -j KUBE-FIREWALL
                -A FORWARD -j DOCKER-USER
                -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -A KUBE-SERVICES -d %1$s -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with %2$s
                -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -j DROP
                -A DOCKER -d %1$s ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
                -A DOCKER-USER -j RETURN
                COMMIT
                *nat
                :DOCKER - [0:0]
                -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
                -A DOCKER -i docker0 -j RETURN
                COMMIT
                """.formatted(addr, f == Family.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable");
    }

    /** Every table, minus fwpolicy's own lines (its chains and its fwp1 rules). */
    private static String foreignView(CommandRunner runner, Backend backend, Family f) {
        return KernelSupport.saveText(runner, backend, f).lines()
                .filter(l -> !l.contains("fwp1:") && !l.contains("FWP-"))
                .collect(Collectors.joining("\n"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void foreignChainsAndRulesAreByteIdenticalAfterEveryApply(Backend backend) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            for (Family f : Family.values()) KernelSupport.restore(runner, backend, f, foreignFilter(f));
            var reconciler = KernelSupport.reconciler(netns, backend);
            reconciler.sync(TestRuleSets.small());
            for (Family f : Family.values()) {
                String src = f == Family.V4 ? "198.51.100.1/32" : "2001:db8:aaaa::1/128";
                KernelSupport.restore(runner, backend, f, "*filter\n-I INPUT 1 -s " + src + " -j DROP\n-A INPUT -s " + src
                        + " -p udp -m udp --dport 9 -j ACCEPT\nCOMMIT\n");
            }
            var before4 = foreignView(runner, backend, Family.V4);
            var before6 = foreignView(runner, backend, Family.V6);
            assertThat(before4).contains("KUBE-SERVICES", "DOCKER-USER", "-A PREROUTING", "198.51.100.1/32");

            List<RuleSet> sequence = List.of(
                    TestRuleSets.generate(3, 4, 1),   // every rule changes
                    TestRuleSets.generate(1, 2, 1),   // chains removed
                    TestRuleSets.generate(4, 3, 2),   // chains added
                    new RuleSet(List.of(), List.of(), "nothing"), // fwpolicy removes all of its own
                    TestRuleSets.small());
            for (RuleSet desired : sequence) {
                // Damage fwpolicy's part among the foreign rules too: FWP-INPUT emptied (declaring it
                // flushes it) and a duplicated jump at the end of INPUT.
                var jump = desired.jumps(Family.V4);
                if (!jump.isEmpty()) {
                    KernelSupport.restore(runner, backend, Family.V4, "*filter\n:FWP-INPUT - [0:0]\n-A INPUT " + RuleSpecs.spec(jump.get(0)) + "\nCOMMIT\n");
                }
                var report = reconciler.sync(desired);
                assertThat(report.restoreInvocations()).isPositive();
                assertThat(foreignView(runner, backend, Family.V4)).as("IPv4 foreign rules after %s", desired.revision()).isEqualTo(before4);
                assertThat(foreignView(runner, backend, Family.V6)).as("IPv6 foreign rules after %s", desired.revision()).isEqualTo(before6);
            }
            String input = KernelSupport.saveText(runner, backend, Family.V4, "-t", "filter");
            assertThat(input.indexOf("-A INPUT -s 198.51.100.1/32 -j DROP")).as("foreign rule still before our jump")
                    .isLessThan(input.indexOf("-j FWP-INPUT"));
        }
    }
}
