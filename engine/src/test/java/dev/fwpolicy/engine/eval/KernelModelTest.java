package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.reconcile.Drift;
import dev.fwpolicy.engine.reconcile.DriftStatus;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Verdict;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The kernel as the evaluator sees it: one read-back, classified by reconcile, parsed strictly. */
class KernelModelTest {

    static String dump(RuleSet rs, Family f) {
        // A save dump as the kernel would print it after the restore: builtin headers, then ours.
        return "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A INPUT -s 203.0.113.0/24 -j DROP\n" // a foreign rule: not fwpolicy's to model
                + RuleSetBuilder.restorePayload(rs, f).substring("*filter\n".length());
    }

    static KernelModel model(RuleSet rs, String dump) {
        return KernelDifferentialTest.kernelModel(rs, Family.V4, dump);
    }

    @Test
    void anUntouchedKernelAnswersLikeThePolicy() {
        var rs = EvaluatorTest.web();
        var back = model(rs, dump(rs, Family.V4));
        assertThat(back.drift()).isEmpty();
        assertThat(back.unmodelled()).isEmpty();
        var flow = Flow.parse("inbound tcp 10.1.2.3:40000 -> 10.0.0.2:22");
        assertThat(back.evaluator().evaluate(flow).ruleId()).isEqualTo(new Evaluator(rs).evaluate(flow).ruleId());
    }

    @Test
    void aTamperedKernelRuleGivesADifferentAnswerAndIsNamed() {
        var rs = EvaluatorTest.web();
        var https = rs.allRules().filter(r -> r.origin().span().line() == 4).findFirst().orElseThrow();
        // Someone edits "allow tcp port 443" in place to port 8443, keeping the fwp1 comment.
        String tampered = dump(rs, Family.V4).replace(RuleSpecs.saveLine(https), RuleSpecs.saveLine(https).replace("--dport 443", "--dport 8443"));
        assertThat(tampered).isNotEqualTo(dump(rs, Family.V4));
        var back = model(rs, tampered);
        var flow = Flow.parse("inbound tcp 172.16.0.9:40000 -> 10.0.0.2:443");
        var kernel = back.evaluator().evaluate(flow);
        assertThat(new Evaluator(rs).evaluate(flow).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(kernel.verdict()).isEqualTo(Verdict.DENY);
        assertThat(back.drift()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DriftStatus.TAMPERED);
            assertThat(d.id()).contains(https.id());
            assertThat(d.kernel().orElseThrow().spec()).contains("--dport 8443");
        });
        var step = kernel.trace().stream().filter(s -> s.rule().id().equals(https.id())).findFirst().orElseThrow();
        assertThat(step.rule().origin().text()).startsWith("[kernel copy differs from policy]");
        assertThat(step.mismatch().orElseThrow().reason()).isEqualTo("443 is not in 8443");
        var other = back.evaluator().evaluate(Flow.parse("inbound tcp 172.16.0.9:40000 -> 10.0.0.2:8443"));
        assertThat(other.ruleId()).contains(https.id());
    }

    @Test
    void missingAndJunkRulesInOwnedChainsAreDrift() {
        var rs = EvaluatorTest.web();
        var https = rs.allRules().filter(r -> r.origin().span().line() == 4).findFirst().orElseThrow();
        String edited = dump(rs, Family.V4).replace(RuleSpecs.saveLine(https) + "\n", "-A FWP-I-web -p tcp -j DROP\n");
        var back = model(rs, edited);
        assertThat(back.drift()).extracting(Drift::status).containsExactlyInAnyOrder(DriftStatus.UNKNOWN, DriftStatus.MISSING);
        var d = back.evaluator().evaluate(Flow.parse("inbound tcp 172.16.0.9:40000 -> 10.0.0.2:443"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.text()).isEqualTo("[not in policy] -A FWP-I-web -p tcp -j DROP");
    }

    @Test
    void theKubeRouterDamageIsDuplicateAndMovedByIdentity() {
        var rs = EvaluatorTest.web();
        var https = rs.allRules().filter(r -> r.origin().span().line() == 4).findFirst().orElseThrow();
        var ssh = rs.allRules().filter(r -> r.origin().span().line() == 3).findFirst().orElseThrow();
        String d = dump(rs, Family.V4)
                .replace("COMMIT\n", RuleSpecs.saveLine(https) + "\n" + RuleSpecs.saveLine(https) + "\nCOMMIT\n")
                .replace(RuleSpecs.saveLine(ssh) + "\n", "");
        // ssh moved to the top of its chain
        int first = d.indexOf("-A " + ssh.chain() + " ");
        d = d.substring(0, first) + RuleSpecs.saveLine(ssh) + "\n" + d.substring(first);
        var back = model(rs, d);
        assertThat(back.drift()).extracting(x -> x.status() + " " + x.id().orElse("-")).containsExactlyInAnyOrder(
                "MOVED " + ssh.id(), "DUPLICATE " + https.id(), "DUPLICATE " + https.id());
        assertThat(back.unmodelled()).isEmpty();
    }

    @Test
    void editsTheModelCannotReadAreTamperedAndUnmodelledNeverTheRule() {
        var rs = EvaluatorTest.web();
        var icmp = rs.allRules().filter(r -> r.origin().span().line() == 9).findFirst().orElseThrow();
        var https = rs.allRules().filter(r -> r.origin().span().line() == 4).findFirst().orElseThrow();
        String d = dump(rs, Family.V4)
                .replace(RuleSpecs.saveLine(icmp), RuleSpecs.saveLine(icmp).replace("--icmp-type 8", "--icmp-type 8/5"))
                .replace(RuleSpecs.saveLine(https), RuleSpecs.saveLine(https).replace(" -m tcp --dport 443", " -m tcp --dport 443 -m multiport --dports 80,443"));
        var back = model(rs, d);
        assertThat(back.drift()).extracting(x -> x.status() + " " + x.id().orElse("-"))
                .containsExactlyInAnyOrder("TAMPERED " + icmp.id(), "TAMPERED " + https.id());
        assertThat(back.unmodelled()).hasSize(2).allSatisfy(u -> assertThat(u).startsWith("ipv4 tampered: "));
    }

    @Test
    void aForeignRuleThatMentionsAnIdentityIsForeign() {
        var rs = EvaluatorTest.web();
        String d = dump(rs, Family.V4).replace("-A INPUT -s 203.0.113.0/24 -j DROP",
                "-A INPUT -s 203.0.113.0/24 -m comment --comment \"copied from fwp1:AAAAAAAAAAAAAAAA\" -j DROP");
        var back = model(rs, d);
        assertThat(back.drift()).isEmpty();
    }

    @Test
    void theBuiltInChainsRealPolicyDecidesWhatFallsThrough() {
        var rs = EvaluatorTest.web();
        var jump = rs.jumps(Family.V4).stream().filter(j -> j.chain().equals("INPUT")).findFirst().orElseThrow();
        String d = dump(rs, Family.V4).replace(":INPUT ACCEPT", ":INPUT DROP").replace(RuleSpecs.saveLine(jump) + "\n", "");
        var back = model(rs, d);
        assertThat(back.drift()).extracting(Drift::status).containsExactly(DriftStatus.MISSING_JUMP);
        var decision = back.evaluator().evaluate(Flow.parse("inbound tcp 172.16.0.9:40000 -> 10.0.0.2:443"));
        assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
        assertThat(decision.text()).isEqualTo("built-in chain policy DROP");
    }

    @Test
    void aStaleHashedJumpInInputIsFollowedLikeNetfilterWould() {
        var rs = EvaluatorTest.web();
        String stale = dump(rs, Family.V4)
                .replace(":INPUT ACCEPT [0:0]\n", ":INPUT ACCEPT [0:0]\n:FWP-OLD - [0:0]\n")
                .replace("COMMIT\n", "-A FWP-OLD -j DROP\nCOMMIT\n")
                .replaceFirst("(-A INPUT -m comment)", "-A INPUT -m comment --comment \"fwp1:AAAAAAAAAAAAAAAA old\" -j FWP-OLD\n$1");
        var back = model(rs, stale);
        var d = back.evaluator().evaluate(Flow.parse("inbound tcp 10.1.2.3:40000 -> 10.0.0.2:22"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.text()).isEqualTo("[not in policy] -A FWP-OLD -j DROP");
        assertThat(back.drift()).extracting(Drift::status).containsExactlyInAnyOrder(DriftStatus.UNKNOWN, DriftStatus.UNKNOWN);
    }

    /**
     * The fast verdict path (protocol lists and per-field interval indexes) and the traced
     * path (every rule, in order) agree, and the trace explains every miss. Half the
     * policies have chains long enough to be indexed.
     */
    @Property(tries = 300)
    void decideAgreesWithEvaluate(@ForAll long seed) {
        var gen = new PolicyGenerator(seed, 20000, 20100).withMaxRulesPerChain(seed % 2 == 0 ? 6 : 120);
        var rs = gen.policy();
        var evaluator = new Evaluator(rs);
        for (int i = 0; i < 30; i++) {
            var flow = gen.flow(rs);
            if (i % 3 == 0) flow = flow.withState(ConnState.ESTABLISHED);
            var full = evaluator.evaluate(flow);
            var fast = evaluator.decide(flow);
            assertThat(fast.ruleId()).isEqualTo(full.ruleId());
            assertThat(fast.verdict()).isEqualTo(full.verdict());
            assertThat(full.trace().get(full.trace().size() - 1).rule().id()).isEqualTo(full.ruleId().orElseThrow());
        }
    }
}
