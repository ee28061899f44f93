package dev.fwpolicy.engine.reconcile.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.IptablesDataplane;
import dev.fwpolicy.engine.iptables.Counters;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.reconcile.KernelView;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.reconcile.RuleHit;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.NetnsPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rule hits with real packets: a sync's own read-back (with counters) says which rule decided
 * each packet, and a resync whose read-back differs only in counters reuses the parse and plan.
 */
@Tag("kernel")
class RuleHitsKernelTest {
    private static final String POLICY = """
            policy hits {
              default inbound deny
              inbound {
                allow established
                allow tcp from 10.99.0.2 to port 8080 "web"
                allow udp to port 5353 "mdns"
              }
            }
            """;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void countersMoveForTheRuleThatDecidedAndForNoOther(Backend backend) {
        KernelSupport.requireKernel();
        var result = new Compiler().compile(List.of(new SourceFile("hits.fwpolicy", POLICY)));
        assertThat(result.hasErrors()).as("%s", result.diagnostics()).isFalse();
        RuleSet desired = result.ruleSet().orElseThrow();
        try (var net = new NetnsPair()) {
            net.ipBatch(net.server, List.of("address add 10.99.0.1/24 dev fwps"));
            net.ipBatch(net.client, List.of("address add 10.99.0.2/24 dev fwpc"));
            var runner = new dev.fwpolicy.engine.dataplane.ProcessCommandRunner().inNetns(net.server);
            IptablesDataplane dataplane = KernelSupport.dataplane(runner, backend);
            var reconciler = new Reconciler(dataplane, ReconcilerOptions.defaults().withCounters(true));
            reconciler.sync(desired);
            var before = hits(reconciler, desired);
            assertThat(before.views()).hasSize(1);

            // One SYN to the allowed port (nothing listens: the kernel answers RST, nothing retries).
            net.exec(net.client, null, "python3", "-c", "import socket; s=socket.socket(); s.settimeout(2); "
                    + "print(s.connect_ex(('10.99.0.1', 8080)))");
            // Three echo requests the default deny drops.
            net.exec(net.client, null, "sh", "-c", "ping -c 3 -i 0.2 -W 1 10.99.0.1 >/dev/null; true");

            var after = hits(reconciler, desired);
            Map<String, Long> moved = new java.util.TreeMap<>();
            after.byRule().forEach((id, c) -> {
                long d = c.packets() - before.byRule().get(id).packets();
                if (d != 0) moved.put(id, d);
            });
            String web = idOf(desired, r -> r.origin().note().filter("web"::equals).isPresent());
            String deny = idOf(desired, r -> r.origin().kind() == RuleOrigin.Kind.DEFAULT && r.origin().policy().isPresent()
                    && r.family() == dev.fwpolicy.engine.net.Family.V4);
            // The jumps every inbound packet passes count too (4 each); every other rule stays where it was.
            var jumps = desired.allRules().filter(r -> r.origin().kind() == RuleOrigin.Kind.DISPATCH).map(r -> r.id())
                    .collect(Collectors.toSet());
            assertThat(moved.keySet()).as("jumps passed").containsAll(desired.allRules()
                    .filter(r -> jumps.contains(r.id()) && r.family() == dev.fwpolicy.engine.net.Family.V4 && r.chain().contains("INPUT"))
                    .map(r -> r.id()).toList());
            // Inbound IPv4 only: the server's own answers and IPv6 housekeeping pass the outbound rules.
            var inbound = desired.allRules().filter(r -> r.family() == dev.fwpolicy.engine.net.Family.V4
                    && (r.chain().equals("FWP-INPUT") || r.chain().startsWith("FWP-I-"))).map(r -> r.id()).collect(Collectors.toSet());
            var policyRules = new java.util.TreeMap<>(moved);
            policyRules.keySet().retainAll(inbound);
            policyRules.keySet().removeAll(jumps);
            assertThat(policyRules).as("rules hit (web %s, default deny %s)", web, deny).isEqualTo(Map.of(web, 1L, deny, 3L));
            assertThat(after.byRule().get(web).bytes() - before.byRule().get(web).bytes()).isEqualTo(60); // one SYN: 20 + 40
            // The second read-back differed from the first only in counters: same parse, same (quiet) plan.
            assertThat(after.views().get(0).plan().family(dev.fwpolicy.engine.net.Family.V4).orElseThrow())
                    .isSameAs(before.views().get(0).plan().family(dev.fwpolicy.engine.net.Family.V4).orElseThrow());
        }
    }

    private record Hits(Map<String, Counters> byRule, List<KernelView> views) {}

    private static Hits hits(Reconciler reconciler, RuleSet desired) {
        var views = new ArrayList<KernelView>();
        var report = reconciler.sync(desired, views::add);
        assertThat(report.wroteNothing()).isTrue();
        var byRule = new java.util.HashMap<String, Counters>();
        for (RuleHit h : RuleHit.of(desired, views.get(0))) byRule.put(h.rule().id(), h.counters());
        assertThat(byRule).hasSize(desired.ruleCount());
        return new Hits(byRule, views);
    }

    private static String idOf(RuleSet rs, java.util.function.Predicate<dev.fwpolicy.engine.ir.CompiledRule> p) {
        var ids = rs.allRules().filter(p).map(r -> r.id()).toList();
        assertThat(ids).as("%s", rs.allRules().map(r -> r.id() + " " + r.family() + " " + r.chain() + " " + r.origin()).toList()).hasSize(1);
        return ids.get(0);
    }
}
