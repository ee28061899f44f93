package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.ipset.SetNames;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.parser.Limits;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KernelSetCompileTest {

    /** {@code n} IPv4 hosts that never merge (every other address), spelled as written. */
    static String hosts(int n, int from) {
        return IntStream.range(from, from + n).mapToObj(i -> "10.1." + (2 * i / 256) + "." + (2 * i % 256)).collect(Collectors.joining(", "));
    }

    static String policy(String clients, String extra) {
        return "policy web {\n  default inbound deny\n  set clients = { " + clients + " }\n  set small = { 192.0.2.1, 192.0.2.3 }\n"
                + "  inbound {\n    allow tcp from $clients to port { 80, 443 } \"clients\"\n    allow tcp from $small to port 22\n" + extra + "  }\n}\n";
    }

    static CompileResult compile(String text, Limits limits) {
        return new Compiler(limits).compile(List.of(new SourceFile("web.fwpolicy", text)));
    }

    static RuleSet ruleSet(String text) {
        var r = compile(text, Limits.DEFAULT);
        assertThat(r.diagnostics()).filteredOn(d -> d.isError()).isEmpty();
        return r.ruleSet().orElseThrow();
    }

    static List<CompiledRule> policyRules(RuleSet rs) {
        return rs.chain(Family.V4, "FWP-I-web").orElseThrow().rules();
    }

    @Test
    void aLongSetIsOneRuleMatchingAKernelSetAndASmallOneStaysExpanded() {
        var rs = ruleSet(policy(hosts(3251, 0), ""));
        String name = SetNames.of("web", "clients", Family.V4);
        assertThat(rs.sets()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.members()).hasSize(3251);
        });
        var rules = policyRules(rs);
        assertThat(rules).hasSize(3);
        assertThat(RuleSpecs.spec(rules.get(0))).startsWith("-p tcp -m comment --comment \"fwp1:")
                .contains(" -m set --match-set " + name + " src -m multiport --dports 80,443 -j ACCEPT");
        assertThat(RuleSpecs.spec(rules.get(1))).startsWith("-s 192.0.2.1/32 -p tcp");
        assertThat(RuleSpecs.spec(rules.get(2))).startsWith("-s 192.0.2.3/32 -p tcp");
        assertThat(rs.chain(Family.V6, "FWP-I-web")).isEmpty();
    }

    @Test
    void thresholdIsTheLimitAndCountsPerFamily() {
        assertThat(ruleSet(policy(hosts(8, 0), "")).sets()).isEmpty();
        assertThat(ruleSet(policy(hosts(9, 0), "")).sets()).hasSize(1);
        var custom = compile(policy(hosts(9, 0), ""), Limits.DEFAULT.withKernelSetThreshold(20));
        assertThat(custom.ruleSet().orElseThrow().sets()).isEmpty();
        var one = compile(policy(hosts(9, 0), ""), Limits.DEFAULT.withKernelSetThreshold(1));
        assertThat(one.ruleSet().orElseThrow().sets()).extracting(NetworkSet::set).containsExactlyInAnyOrder("clients", "small");
    }

    @Test
    void thePolicysOwnThresholdWinsOverTheCompilersAndAppliesToThatPolicyOnly() {
        String web = policy(hosts(9, 0), "").replace("  default inbound deny\n", "  default inbound deny\n  kernel-sets above 20\n");
        // The same nine hosts in a second policy without a setting: the compiler's threshold applies there.
        String api = "policy api {\n  set clients = { " + hosts(9, 0) + " }\n  inbound {\n    allow tcp from $clients to port 8080\n  }\n}\n";
        var byDefault = ruleSet(web + api);
        assertThat(byDefault.sets()).extracting(NetworkSet::policy).containsExactly("api");
        assertThat(policyRules(byDefault)).hasSize(9 * 1 + 2);

        var lowFlag = compile(web + api, Limits.DEFAULT.withKernelSetThreshold(1)).ruleSet().orElseThrow();
        assertThat(lowFlag.sets()).extracting(s -> s.policy() + "/" + s.set()).containsExactly("api/clients");

        var lowPolicy = ruleSet(policy(hosts(3, 0), "").replace("  default inbound deny\n", "  default inbound deny\n  kernel-sets above 2\n"));
        assertThat(lowPolicy.sets()).extracting(NetworkSet::set).containsExactly("clients");
        assertThat(ruleSet(policy(hosts(3, 0), "")).sets()).isEmpty();
    }

    @Test
    void memberEditsKeepEveryRuleIdentityAndSameMembersHoweverWrittenGiveTheSameSet() {
        var before = ruleSet(policy(hosts(100, 0), ""));
        var edited = ruleSet(policy(hosts(99, 0) + ", 172.16.0.1", ""));
        assertThat(policyRules(edited)).extracting(CompiledRule::id).isEqualTo(policyRules(before).stream().map(CompiledRule::id).toList());
        assertThat(edited.sets().get(0).name()).isEqualTo(before.sets().get(0).name());
        assertThat(edited.sets().get(0).members()).isNotEqualTo(before.sets().get(0).members());

        var reordered = ruleSet(policy(hosts(50, 50) + ", " + hosts(50, 0) + ", 10.1.0.0/32", ""));
        assertThat(reordered.sets()).isEqualTo(before.sets());
        assertThat(policyRules(reordered)).extracting(RuleSpecs::spec).isEqualTo(policyRules(before).stream().map(RuleSpecs::spec).toList());
    }

    @Test
    void notOfASetIsANegatedSetMatchInsteadOfNegationTooWide() {
        var rs = ruleSet(policy(hosts(20, 0), "    deny to not $small\n"));
        String small = SetNames.of("web", "small", Family.V4);
        assertThat(policyRules(rs)).last().extracting(RuleSpecs::spec).asString()
                .contains("-m set ! --match-set " + small + " dst -j DROP");
        var inline = compile(policy(hosts(20, 0), "    deny to not { 192.0.2.1, 192.0.2.3 }\n"), Limits.DEFAULT);
        assertThat(inline.diagnostics()).anyMatch(d -> d.code().equals("negation-too-wide"));
    }

    @Test
    void aSetBeyondTheMaximumIsADiagnostic() {
        var limits = new Limits(Limits.DEFAULT.maxFileBytes(), Limits.DEFAULT.maxCompiledRules(), Limits.DEFAULT.maxNesting(), 8, 50);
        var r = compile(policy(hosts(51, 0), ""), limits);
        assertThat(r.ruleSet()).isEmpty();
        assertThat(r.diagnostics()).anyMatch(d -> d.code().equals("limit-exceeded") && d.message().contains("at most 50"));
    }

    @Test
    void evalAnswersForMembersAndNonMembersAndNamesTheSetAndMember() {
        var rs = ruleSet(policy(hosts(3251, 0), "    deny to not $small\n"));
        var evaluator = new Evaluator(rs);
        var member = evaluator.evaluate(Flow.parse("inbound tcp 10.1.3.4:4000 -> 10.9.9.9:443"));
        assertThat(member.verdict().keyword()).isEqualTo("allow");
        assertThat(member.setMatches()).containsExactly("source 10.1.3.4 is in $clients (kernel set "
                + SetNames.of("web", "clients", Family.V4) + ") as member 10.1.3.4");
        assertThat(member.explain()).contains("as member 10.1.3.4");
        var nonMember = evaluator.evaluate(Flow.parse("inbound tcp 10.1.3.5:4000 -> 10.9.9.9:443"));
        assertThat(nonMember.verdict().keyword()).isEqualTo("deny");
        assertThat(nonMember.setMatches()).containsExactly("destination 10.9.9.9 is not in $small (kernel set "
                + SetNames.of("web", "small", Family.V4) + ")");
        assertThat(nonMember.explain()).contains("10.1.3.5 is not in $clients");
        var toSmall = evaluator.evaluate(Flow.parse("inbound tcp 10.1.3.5:4000 -> 192.0.2.3:443"));
        assertThat(toSmall.verdict().keyword()).as("not $small does not match a member of small; the default denies").isEqualTo("deny");
        assertThat(toSmall.rule().orElseThrow().origin().text()).startsWith("default inbound deny");
    }
}
