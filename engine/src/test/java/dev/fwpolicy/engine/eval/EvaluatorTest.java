package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.vocabulary.ConnState;

import static dev.fwpolicy.engine.vocabulary.Direction.INBOUND;
import static dev.fwpolicy.engine.vocabulary.Direction.OUTBOUND;
import static dev.fwpolicy.engine.net.Family.V4;
import static dev.fwpolicy.engine.net.Family.V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    static Match tcp(String src, Integer dport) {
        return new Match(Optional.of(Protocol.TCP), Optional.ofNullable(src).map(s -> new AddressMatch(Cidr.parseStrict(s).orElseThrow(), false)),
                Optional.empty(), List.of(), dport == null ? List.of() : List.of(PortRange.of(dport)), Optional.empty(), false, false);
    }

    /** Line numbers in RuleSetBuilder follow call order: default=1, then rules 2, 3, ... */
    static RuleSet web() {
        return new RuleSetBuilder()
                .defaultVerdict(INBOUND, Verdict.DENY)                                                   // line 1
                .rule("web", INBOUND, V4, tcp("10.0.0.0/8", 22), new Target.Log("ssh "))               // 2
                .rule("web", INBOUND, V4, tcp("10.0.0.0/8", 22), new Target.Accept())                  // 3
                .rule("web", INBOUND, V4, tcp(null, 443), new Target.Accept())                         // 4
                .rule("web", INBOUND, V4, new Match(Optional.of(Protocol.TCP),
                        Optional.of(new AddressMatch(Cidr.parseStrict("192.168.0.0/16").orElseThrow(), true)), Optional.empty(),
                        List.of(), List.of(PortRange.of(80), new PortRange(8000, 8100)), Optional.empty(), false, false),
                        new Target.Reject(Target.Reject.How.TCP_RESET))                                                // 5
                .rule("ops", INBOUND, V4, tcp("192.168.1.0/24", null), new Target.Accept())            // 6
                .rule("web", INBOUND, V6, tcp("2001:db8::/32", 443), new Target.Drop())                // 7
                .rule("web", INBOUND, V4, new Match(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                        Optional.empty(), true, false), new Target.Accept())                           // 8
                .rule("web", INBOUND, V4, new Match(Optional.of(Protocol.ICMP), Optional.empty(), Optional.empty(), List.of(), List.of(),
                        Optional.of(8), false, false), new Target.Accept())                            // 9
                .build();
    }

    final Evaluator evaluator = new Evaluator(web());

    Decision eval(String flow) {
        var fast = evaluator.decide(Flow.parse(flow));
        var full = evaluator.evaluate(Flow.parse(flow));
        // The fast path and the traced path must agree on every answer.
        assertThat(fast.verdict()).isEqualTo(full.verdict());
        assertThat(fast.ruleId()).isEqualTo(full.ruleId());
        return full;
    }

    @Test
    void logContinuesAndTheNextMatchingRuleDecides() {
        var d = eval("inbound tcp 10.1.2.3:40000 -> 10.0.0.2:22");
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.location()).isEqualTo("gen.fwpolicy:3:5");
        // INPUT jump, FWP-INPUT jump to web, the LOG rule, the deciding ACCEPT.
        assertThat(d.matchedRules()).extracting(r -> r.target().getClass().getSimpleName())
                .containsExactly("Jump", "Jump", "Log", "Accept");
        assertThat(d.trace().get(1).mismatch()).get().extracting(Mismatch::field).isEqualTo(Mismatch.Field.INTERFACE);
    }

    @Test
    void fallsThroughAPolicyChainIntoTheNextPolicyThenTheDefault() {
        var d = eval("inbound tcp 192.168.1.9:40000 -> 10.0.0.2:5432");
        assertThat(d.rule().orElseThrow().origin().policy()).contains("ops");
        assertThat(d.location()).isEqualTo("gen.fwpolicy:6:5");

        var deny = eval("inbound tcp 172.16.0.1:40000 -> 10.0.0.2:5432");
        assertThat(deny.verdict()).isEqualTo(Verdict.DENY);
        assertThat(deny.rule().orElseThrow().origin().kind()).isEqualTo(RuleOrigin.Kind.DEFAULT);
        assertThat(deny.location()).isEqualTo("gen.fwpolicy:1:5");
        assertThat(deny.explain()).contains("DENY by gen.fwpolicy:1:5: default inbound deny");
    }

    @Test
    void negatedSourceAndMultiport() {
        assertThat(eval("inbound tcp 172.16.0.1:1 -> 10.0.0.2:8050").verdict()).isEqualTo(Verdict.REJECT);
        // Inside the negated network: rule 5 does not match; ops (192.168.1/24) does not either.
        var d = eval("inbound tcp 192.168.7.1:1 -> 10.0.0.2:8050");
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        var why = d.trace().stream().filter(s -> s.rule().origin().span().line() == 5).findFirst().orElseThrow();
        assertThat(why.mismatch().orElseThrow().field()).isEqualTo(Mismatch.Field.SOURCE);
        assertThat(why.mismatch().orElseThrow().reason()).contains("not in not 192.168.0.0/16");
        assertThat(eval("inbound tcp 172.16.0.1:1 -> 10.0.0.2:8101").verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void loopbackIsAcceptedFirst() {
        var d = eval("inbound tcp 127.0.0.1:5 -> 127.0.0.1:22");
        assertThat(d.rule().orElseThrow().origin().kind()).isEqualTo(RuleOrigin.Kind.LOOPBACK);
        assertThat(eval("inbound udp 10.0.0.1:5 -> 10.0.0.2:53 via lo").rule().orElseThrow().origin().kind())
                .isEqualTo(RuleOrigin.Kind.LOOPBACK);
    }

    @Test
    void familiesAreSeparateAndIcmpTypesMatter() {
        assertThat(eval("inbound tcp [2001:db8::5]:1 -> [2001:db8::1]:443").location()).isEqualTo("gen.fwpolicy:7:5");
        assertThat(eval("inbound tcp [2001:db9::5]:1 -> [2001:db8::1]:443").verdict()).isEqualTo(Verdict.DENY);
        assertThat(eval("inbound icmp 1.2.3.4 -> 10.0.0.2 type echo-request").location()).isEqualTo("gen.fwpolicy:9:5");
        var reply = eval("inbound icmp 1.2.3.4 -> 10.0.0.2 type echo-reply");
        assertThat(reply.verdict()).isEqualTo(Verdict.DENY);
        assertThat(reply.trace().stream().filter(s -> s.rule().origin().span().line() == 9).findFirst().orElseThrow()
                .mismatch().orElseThrow().reason()).isEqualTo("rule needs type echo-request, flow is echo-reply");
    }

    @Test
    void establishedOnlyMatchesEstablishedFlows() {
        assertThat(eval("inbound udp 1.2.3.4:53 -> 10.0.0.2:40000").verdict()).isEqualTo(Verdict.DENY);
        assertThat(eval("inbound udp 1.2.3.4:53 -> 10.0.0.2:40000 established").location()).isEqualTo("gen.fwpolicy:8:5");
    }

    @Test
    void outboundWithoutDefaultIsTheImplicitAllow() {
        var d = eval("outbound tcp 10.0.0.2:40000 -> 8.8.8.8:53");
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.rule().orElseThrow().origin().kind()).isEqualTo(RuleOrigin.Kind.DEFAULT);
        assertThat(d.location()).isEqualTo("<implicit>");
    }

    @Test
    void unknownFieldsOnlyMatchRulesThatDoNotAskForThem() {
        var flow = new Flow(INBOUND, V4, Optional.of(Protocol.TCP), Optional.empty(), java.util.OptionalInt.empty(),
                Optional.empty(), java.util.OptionalInt.of(443), java.util.OptionalInt.empty(), ConnState.NEW, false);
        var d = evaluator.evaluate(flow);
        assertThat(d.location()).isEqualTo("gen.fwpolicy:4:5"); // "allow tcp port 443" needs no source
        assertThat(evaluator.decide(flow).ruleId()).isEqualTo(d.ruleId());
    }

    @Test
    void anEmptyRuleSetFallsToTheBuiltinPolicy() {
        var d = new Evaluator(new RuleSet(List.of(), List.of(), "empty")).evaluate(Flow.parse("inbound tcp 1.1.1.1:1 -> 2.2.2.2:2"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.rule()).isEmpty();
        assertThat(d.location()).isEqualTo("<built-in chain policy ACCEPT>");
    }

    @Test
    void aJumpToAMissingChainIsRefused() {
        var rs = web();
        var broken = new RuleSet(rs.chains().stream().filter(c -> !c.name().equals("FWP-I-ops")).toList(), rs.jumps(), "x");
        assertThatThrownBy(() -> new Evaluator(broken)).hasMessageContaining("FWP-I-ops");
    }
}
