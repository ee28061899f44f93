package dev.fwpolicy.engine.reconcile.kernel;

import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IpsetDataplane;
import dev.fwpolicy.engine.ipset.KernelSet;
import dev.fwpolicy.engine.ipset.KernelSets;
import dev.fwpolicy.engine.ipset.SetChange.Kind;
import dev.fwpolicy.engine.ipset.SetNames;
import dev.fwpolicy.engine.ipset.SetPlan;
import dev.fwpolicy.engine.ipset.SetPlanner;
import dev.fwpolicy.engine.ipset.SetReferences;
import dev.fwpolicy.engine.ipset.SetShape;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ipset layer against the real kernel, in a throw-away namespace, with a wrapper first on
 * PATH that records every ipset call and flags {@code ipset test}: sets converge from any state
 * (absent, members edited by hand, recreated with another size or type), a one-member edit is
 * a two-line payload, a foreign set stays byte for byte, and a set a rule still references is
 * not destroyed.
 */
@Tag("kernel")
class IpsetKernelTest {
    private static final String CLIENTS = SetNames.of("web", "clients", Family.V4);
    private static final String ADMINS = SetNames.of("web", "admins", Family.V6);

    /** 3,251 distinct /32 hosts that do not merge into larger networks (every other address). */
    static List<Cidr> clients(int n, int changed) {
        var out = new ArrayList<Cidr>();
        for (int i = 0; i < n; i++) {
            int host = i == changed ? 2 * i + 1 : 2 * i;
            out.add(Cidr.parseStrict("10." + (host >> 16 & 255) + "." + (host >> 8 & 255) + "." + (host & 255)).orElseThrow());
        }
        return out;
    }

    private static List<KernelSet> desired(int changed) {
        return List.of(KernelSet.desired(CLIENTS, Family.V4, clients(3251, changed), SetShape.DEFAULT_MAX_ELEMENTS),
                KernelSet.desired(ADMINS, Family.V6, List.of(Cidr.parseStrict("2001:db8:1::/48").orElseThrow(),
                        Cidr.parseStrict("2001:db8:2::7").orElseThrow()), SetShape.DEFAULT_MAX_ELEMENTS));
    }

    /** One sync of the set layer: read back, plan, restore. Returns the plan it applied. */
    private static SetPlan sync(IpsetDataplane dataplane, List<KernelSet> desired, Set<String> referenced) {
        var plan = new SetPlanner().plan(desired, dataplane.read(), referenced);
        if (!plan.isEmpty()) dataplane.restore(plan.payload()).requireOk();
        return plan;
    }

    private static void assertHolds(KernelSets kernel, List<KernelSet> desired) {
        for (var d : desired) {
            assertThat(kernel.get(d.name())).as(d.name()).hasValueSatisfying(k -> {
                assertThat(k.shape()).isEqualTo(d.shape());
                assertThat(k.members()).isEqualTo(d.members());
            });
        }
    }

    private static String ipset(CommandRunner runner, String... args) {
        var argv = new ArrayList<>(List.of("ipset"));
        argv.addAll(List.of(args));
        return runner.run(new Command(argv, java.util.Optional.empty(), Command.DEFAULT_TIMEOUT)).requireOk().stdout();
    }

    private static String foreignLines(CommandRunner runner) {
        return ipset(runner, "save").lines().filter(l -> l.split(" ")[1].startsWith("kube-")).collect(Collectors.joining("\n"));
    }

    @Test
    void setsConvergeFromAnyStateWithoutIpsetTestAndForeignSetsStay() {
        KernelSupport.requireKernel();
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            ipset(runner, "create", "kube-foreign", "hash:ip", "family", "inet");
            ipset(runner, "add", "kube-foreign", "192.0.2.99");
            String foreign = foreignLines(runner);
            var dataplane = IpsetDataplane.open(runner);

            var first = sync(dataplane, desired(-1), Set.of());
            assertThat(first.changes()).extracting(c -> c.kind()).containsOnly(Kind.CREATED);
            assertHolds(dataplane.read(), desired(-1));
            assertThat(dataplane.read().get(CLIENTS).orElseThrow().members()).hasSize(3251);
            assertThat(sync(dataplane, desired(-1), Set.of()).isEmpty()).as("second sync writes nothing").isTrue();

            var edit = sync(dataplane, desired(1000), Set.of());
            assertThat(edit.lines()).as("one member edited").hasSize(2).allMatch(l -> l.startsWith("add " + CLIENTS) || l.startsWith("del " + CLIENTS));
            assertHolds(dataplane.read(), desired(1000));

            ipset(runner, "del", CLIENTS, "10.0.0.0");
            ipset(runner, "add", CLIENTS, "198.51.100.0/24");
            ipset(runner, "add", ADMINS, "2001:db8:1:5::/64");
            var hand = sync(dataplane, desired(1000), Set.of());
            assertThat(hand.missingMembers()).isEqualTo(1);
            assertThat(hand.extraMembers()).isEqualTo(2);
            assertThat(hand.changes()).extracting(c -> c.kind()).containsOnly(Kind.EDITED);
            assertHolds(dataplane.read(), desired(1000));

            ipset(runner, "destroy", CLIENTS);
            ipset(runner, "create", CLIENTS, "hash:net", "family", "inet", "maxelem", "4000");
            ipset(runner, "add", CLIENTS, "10.0.0.0");
            assertThat(sync(dataplane, desired(1000), Set.of()).changes()).extracting(c -> c.kind()).contains(Kind.REPAIRED);
            assertHolds(dataplane.read(), desired(1000));

            ipset(runner, "destroy", ADMINS);
            ipset(runner, "create", ADMINS, "hash:ip", "family", "inet6");
            assertThat(sync(dataplane, desired(1000), Set.of()).changes()).extracting(c -> c.kind()).contains(Kind.RECREATED);
            assertHolds(dataplane.read(), desired(1000));

            var fewer = List.of(KernelSet.desired(CLIENTS, Family.V4, clients(3000, -1), SetShape.DEFAULT_MAX_ELEMENTS));
            var large = sync(dataplane, fewer, Set.of());
            assertThat(large.lines()).contains("swap " + CLIENTS + " " + SetNames.temporary(CLIENTS), "destroy " + ADMINS);
            assertThat(large.changes()).extracting(c -> c.kind()).containsExactly(Kind.SWAPPED, Kind.DESTROYED);
            assertHolds(dataplane.read(), fewer);

            sync(dataplane, List.of(), Set.of());
            assertThat(dataplane.read().owned()).isEmpty();
            assertThat(foreignLines(runner)).isEqualTo(foreign);
            assertThat(shims.checkViolations()).as("ipset test calls").isEmpty();
            assertThat(shims.calls()).as("the wrapper was on PATH").contains("ipset save", "ipset restore");
            assertThat(runner.run(Command.of("ipset", "test", CLIENTS, "10.0.0.2")).ok()).as("the wrapper refuses ipset test").isFalse();
            assertThat(shims.checkViolations()).as("and records it").hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSetIsDestroyedOnlyOnceNoRuleReferencesIt(Backend backend) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create()) {
            var runner = KernelSupport.runner(netns);
            var dataplane = IpsetDataplane.open(runner);
            var iptables = KernelSupport.dataplane(runner, backend);
            var sets = desired(-1).subList(0, 1);
            sync(dataplane, sets, Set.of());
            String rule = "-A INPUT -m set --match-set " + CLIENTS + " src -j DROP";
            KernelSupport.restore(runner, backend, Family.V4, "*filter\n" + rule + "\nCOMMIT\n");
            var specs = iptables.read(Family.V4).chains().values().stream().flatMap(c -> c.rules().stream()).map(r -> r.spec()).toList();
            var referenced = SetReferences.in(specs);
            assertThat(referenced).containsExactly(CLIENTS);

            var pending = sync(dataplane, List.of(), referenced);
            assertThat(pending.lines()).isEmpty();
            assertThat(pending.changes()).extracting(c -> c.kind()).containsExactly(Kind.DESTROY_PENDING);
            assertThat(dataplane.read().owned()).containsKey(CLIENTS);

            KernelSupport.restore(runner, backend, Family.V4, "*filter\n" + rule.replace("-A ", "-D ") + "\nCOMMIT\n");
            var after = SetReferences.in(iptables.read(Family.V4).chains().values().stream().flatMap(c -> c.rules().stream()).map(r -> r.spec()).toList());
            assertThat(sync(dataplane, List.of(), after).changes()).extracting(c -> c.kind()).containsExactly(Kind.DESTROYED);
            assertThat(dataplane.read().owned()).isEmpty();
        }
    }
}
