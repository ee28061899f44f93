package dev.fwpolicy.engine.reconcile.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.dataplane.Backend;
import dev.fwpolicy.engine.dataplane.Command;
import dev.fwpolicy.engine.dataplane.CommandRunner;
import dev.fwpolicy.engine.dataplane.IpsetDataplane;
import dev.fwpolicy.engine.ipset.SetNames;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Exactness;
import dev.fwpolicy.engine.reconcile.Reconciler;
import dev.fwpolicy.engine.reconcile.ReconcilerOptions;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.testing.KernelSupport;
import dev.fwpolicy.engine.testing.Netns;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A policy with a 3,251-address client list, end to end in a namespace on both backends: it
 * compiles to a handful of rules plus one kernel set; the kernel set holds exactly its members;
 * a member edit changes only the set (zero iptables writes); members removed or added by hand
 * are repaired; a foreign set stays; removing the rule removes the set once no rule names it;
 * and no {@code ipset test} is ever run.
 */
@Tag("kernel")
class KernelSetReconcileKernelTest {

    static String policy(int changed, boolean withClients) {
        String hosts = IntStream.range(0, 3251).map(i -> i == changed ? 2 * i + 1 : 2 * i)
                .mapToObj(h -> "10." + (h >> 16 & 255) + "." + (h >> 8 & 255) + "." + (h & 255)).collect(Collectors.joining(", "));
        return "policy web {\n  default inbound deny\n  set clients = { " + hosts + ", 2001:db8::1 }\n  inbound {\n    allow established\n"
                + (withClients ? "    allow tcp from $clients to port { 80, 443 } \"clients\"\n" : "")
                + "    allow tcp from 192.0.2.0/24 to port 22\n  }\n}\n";
    }

    static RuleSet compile(String text) {
        var result = new Compiler().compile(List.of(new SourceFile("web.fwpolicy", text)));
        assertThat(result.hasErrors()).as("%s", result.diagnostics()).isFalse();
        return result.ruleSet().orElseThrow();
    }

    private static List<String> members(CommandRunner runner, String set) {
        var out = runner.run(Command.of("ipset", "save", set)).requireOk().stdout();
        return out.lines().filter(l -> l.startsWith("add ")).map(l -> l.split(" ")[2]).toList();
    }

    private static List<String> expectedMembers(RuleSet rs) {
        return rs.sets(Family.V4).get(0).members().stream().map(Cidr::withPrefix).map(s -> s.replace("/32", "")).sorted().toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLongClientListIsAKernelSetReconciledLikeRules(Backend backend) {
        KernelSupport.requireKernel();
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            runner.run(Command.of("ipset", "create", "kube-foreign", "hash:ip")).requireOk();
            runner.run(Command.of("ipset", "add", "kube-foreign", "192.0.2.99")).requireOk();
            var reconciler = new Reconciler(KernelSupport.dataplane(runner, backend), IpsetDataplane.open(runner), ReconcilerOptions.defaults());
            var iptables = KernelSupport.dataplane(runner, backend);
            String set = SetNames.of("web", "clients", Family.V4);

            var desired = compile(policy(-1, true));
            assertThat(desired.ruleCount()).as("a few dozen rules at most").isLessThan(40);
            assertThat(desired.sets()).hasSize(1);
            var first = reconciler.sync(desired);
            assertThat(first.sets().restoreInvocations()).isEqualTo(1);
            assertThat(first.sets().missingMembers()).isEqualTo(3251);
            for (Family f : Family.values()) assertThat(Exactness.problems(iptables.read(f), desired, f)).isEmpty();
            assertThat(members(runner, set).stream().sorted().toList()).isEqualTo(expectedMembers(desired));
            assertThat(reconciler.sync(desired).wroteNothing()).as("second sync").isTrue();

            var edited = compile(policy(1000, true));
            shims.clearCalls();
            var edit = reconciler.sync(edited);
            assertThat(edit.restoreInvocations()).as("iptables restores for a member edit").isZero();
            assertThat(edit.sets().payloadLines()).isEqualTo(2);
            assertThat(edit.sets().missingMembers()).isEqualTo(1);
            assertThat(edit.sets().extraMembers()).isEqualTo(1);
            assertThat(shims.calls()).noneMatch(c -> c.contains("-restore"));
            assertThat(members(runner, set).stream().sorted().toList()).isEqualTo(expectedMembers(edited));

            runner.run(Command.of("ipset", "del", set, "10.0.0.0")).requireOk();
            runner.run(Command.of("ipset", "add", set, "198.51.100.0/24")).requireOk();
            var repair = reconciler.sync(edited);
            assertThat(repair.sets().missingMembers()).isEqualTo(1);
            assertThat(repair.sets().extraMembers()).isEqualTo(1);
            assertThat(repair.restoreInvocations()).isZero();
            assertThat(members(runner, set).stream().sorted().toList()).isEqualTo(expectedMembers(edited));

            var without = compile(policy(1000, false));
            assertThat(without.sets()).isEmpty();
            reconciler.sync(without);
            for (Family f : Family.values()) assertThat(Exactness.problems(iptables.read(f), without, f)).isEmpty();
            assertThat(IpsetDataplane.open(runner).read().owned()).as("the set goes once no rule names it").isEmpty();
            assertThat(reconciler.sync(without).wroteNothing()).isTrue();

            assertThat(runner.run(Command.of("ipset", "save", "kube-foreign")).requireOk().stdout()).contains("add kube-foreign 192.0.2.99");
            assertThat(shims.checkViolations()).as("-C / ipset test calls").isEmpty();
            assertThat(shims.calls()).as("the wrappers were on PATH").contains("ipset save", "ipset restore");
        }
    }

    /**
     * Someone flushes fwpolicy's chain, destroys its set, creates one of another type under the
     * same name and restores the saved rule: the rule now holds a hash:ip, which neither
     * {@code ipset destroy} (referenced) nor {@code ipset swap} (type mismatch) can replace.
     * The sync takes its own rule out, recreates the set and writes the rule back; a rule of
     * another program holding such a set is never touched, and the sync says so.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSetRecreatedWithAnotherTypeWhileOurRuleHoldsItIsRepaired(Backend backend) {
        KernelSupport.requireKernel();
        String hosts = IntStream.range(0, 20).mapToObj(i -> "10.1.0." + (2 * i + 1)).collect(Collectors.joining(", "));
        var desired = compile("policy web {\n  default inbound deny\n  set clients = { " + hosts + " }\n  inbound {\n"
                + "    allow tcp from $clients to port 80 \"clients\"\n  }\n}\n");
        String set = SetNames.of("web", "clients", Family.V4);
        try (var netns = Netns.create(); var shims = PathShims.create()) {
            var runner = shims.runner(netns);
            var iptables = KernelSupport.dataplane(runner, backend);
            var reconciler = new Reconciler(iptables, IpsetDataplane.open(runner), ReconcilerOptions.defaults());
            reconciler.sync(desired);
            String rule = runner.run(Command.of(backend.save(Family.V4))).requireOk().stdout().lines()
                    .filter(l -> l.contains("--match-set " + set + " ")).findFirst().orElseThrow();
            String chain = rule.split(" ")[1];

            runner.run(Command.of(backend.cli(Family.V4), "-F", chain)).requireOk();
            runner.run(Command.of("ipset", "destroy", set)).requireOk();
            runner.run(Command.of("ipset", "create", set, "hash:ip")).requireOk();
            runner.run(Command.of("ipset", "add", set, "192.0.2.7")).requireOk();
            KernelSupport.restore(runner, backend, Family.V4, "*filter\n" + rule + "\nCOMMIT\n");
            assertThat(runner.run(Command.of("ipset", "destroy", set)).ok()).as("destroy of a referenced set").isFalse();
            runner.run(Command.of("ipset", "create", "other-type", "hash:net")).requireOk();
            assertThat(runner.run(Command.of("ipset", "swap", set, "other-type")).ok()).as("swap across types").isFalse();
            runner.run(Command.of("ipset", "destroy", "other-type")).requireOk();

            var repair = reconciler.sync(desired);
            assertThat(repair.sets().restoreInvocations()).isPositive();
            assertThat(runner.run(Command.of("ipset", "save", set)).requireOk().stdout()).contains("create " + set + " hash:net family inet");
            assertThat(members(runner, set).stream().sorted().toList()).isEqualTo(expectedMembers(desired));
            for (Family f : Family.values()) assertThat(Exactness.problems(iptables.read(f), desired, f)).isEmpty();
            assertThat(reconciler.sync(desired).wroteNothing()).as("the sync after the repair").isTrue();

            // The same damage, but a rule of another program in INPUT holds the wrong set too.
            runner.run(Command.of(backend.cli(Family.V4), "-F", chain)).requireOk();
            runner.run(Command.of("ipset", "destroy", set)).requireOk();
            runner.run(Command.of("ipset", "create", set, "hash:ip")).requireOk();
            String foreign = "-A INPUT -p udp -m set --match-set " + set + " src -j ACCEPT";
            KernelSupport.restore(runner, backend, Family.V4, "*filter\n" + rule + "\n" + foreign + "\nCOMMIT\n");
            assertThatThrownBy(() -> reconciler.sync(desired)).hasMessageContaining(set).hasMessageContaining("another program");
            assertThat(runner.run(Command.of(backend.save(Family.V4))).requireOk().stdout()).contains(foreign);
            assertThat(shims.checkViolations()).as("-C / ipset test calls").isEmpty();
        }
    }
}
