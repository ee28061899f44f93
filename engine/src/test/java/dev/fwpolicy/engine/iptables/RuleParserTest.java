package dev.fwpolicy.engine.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fwpolicy.engine.eval.PolicyGenerator;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The one strict reading of printed rules: the inverse of {@link RuleRenderer}, and nothing more. */
class RuleParserTest {

    static ParsedRule parse(String chain, String spec) {
        return RuleParser.parse(Family.V4, chain, spec);
    }

    @Test
    void readsTheFormsIptablesSavePrints() {
        var log = parse("FWP-INPUT", "-s 10.0.0.0/8 -p tcp -m tcp --sport 1000:2000 --dport 80 -m comment --comment \"fwp1:cccccccccccccccc\" -j LOG --log-prefix \"fwp x \"");
        assertThat(log.target()).isEqualTo(new Target.Log("fwp x "));
        assertThat(log.id()).contains("cccccccccccccccc");
        assertThat(log.match().source().orElseThrow().cidr().withPrefix()).isEqualTo("10.0.0.0/8");
        assertThat(log.match().sourcePorts()).extracting(r -> r.from() + ":" + r.to()).containsExactly("1000:2000");
        var multi = parse("FWP-INPUT", "! -d 10.1.0.0/16 -p udp -m multiport --dports 53,1000:1010 -j REJECT --reject-with icmp-port-unreachable");
        assertThat(multi.match().destination().orElseThrow().negated()).isTrue();
        assertThat(multi.match().destinationPorts()).hasSize(2);
        assertThat(multi.target()).isEqualTo(new Target.Reject(Target.Reject.How.PORT_UNREACHABLE));
        assertThat(parse("FWP-INPUT", "-p icmp -m icmp --icmp-type 8 -j DROP").match().icmpType()).contains(8);
        assertThat(parse("FWP-INPUT", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT").match().established()).isTrue();
        assertThat(parse("FWP-INPUT", "-i lo -j ACCEPT").match().loopbackInterface()).isTrue();
        var v6 = RuleParser.parse(Family.V6, "FWP-OUTPUT", "-p ipv6-icmp -m icmp6 --icmpv6-type 255 -j ACCEPT");
        assertThat(v6.match().protocol()).contains(Protocol.ICMPV6);
        assertThat(v6.match().icmpType()).as("ip6tables keeps type 255 a type").contains(255);
        assertThat(RuleParser.parse(Family.V6, "FWP-I-x", "-s ::ffff:10.0.0.1/128 -j ACCEPT").match().source()).isPresent();
        assertThat(parse("FWP-I-web", "-p tcp -m tcp -j ACCEPT").match().destinationPorts())
                .as("--dport 0:65535 prints as a bare -m tcp: any port").isEmpty();
        assertThat(parse("FWP-I-web", "-p tcp -m multiport --dports 8443 -j ACCEPT").match().destinationPorts()).hasSize(1);
    }

    @Test
    void refusesWhatItCannotModel() {
        assertThatThrownBy(() -> parse("FWP-INPUT", "-o lo -j LOG --log-prefix x")).hasMessageContaining("-o cannot match in chain FWP-INPUT");
        assertThatThrownBy(() -> parse("FWP-I-web", "-i eth0 -j ACCEPT")).hasMessageContaining("eth0");
        assertThatThrownBy(() -> parse("FWP-I-web", "-m set --match-set x src -j ACCEPT")).hasMessageContaining("-m set");
        assertThatThrownBy(() -> parse("FWP-I-web", "-p tcp -m tcp ! --dport 22 -j ACCEPT")).hasMessageContaining("--dport");
        assertThatThrownBy(() -> parse("FWP-I-web", "-s 2001:db8::/32 -j ACCEPT")).hasMessageContaining("is not ipv4");
        assertThatThrownBy(() -> parse("FWP-I-web", "-p tcp")).hasMessageContaining("without a target");
        assertThatThrownBy(() -> parse("FWP-I-web", "-j REJECT --reject-with icmp-host-prohibited"))
                .as("a reject fwpolicy never writes").hasMessageContaining("icmp-host-prohibited");
        assertThatThrownBy(() -> parse("FWP-I-web", "-j REJECT --reject-with icmp6-port-unreachable"))
                .as("the other family's name").hasMessageContaining("icmp6-port-unreachable");
        assertThat(RuleParser.parse(Family.V6, "FWP-I-web", "-j REJECT --reject-with icmp6-port-unreachable").target())
                .isEqualTo(new Target.Reject(Target.Reject.How.PORT_UNREACHABLE));
    }

    @Test
    void anEditedRuleThatKeptItsCommentIsNeverReadAsTheRule() {
        // An ICMP code: iptables matches type 8 code 5 only.
        assertThatThrownBy(() -> parse("FWP-I-web", "-p icmp -m comment --comment \"fwp1:cccccccccccccccc\" -m icmp --icmp-type 8/5 -j ACCEPT"))
                .hasMessageContaining("icmp type 8/5");
        // Type 255 on IPv4 is the kernel's "any".
        assertThatThrownBy(() -> parse("FWP-I-web", "-p icmp -m icmp --icmp-type any -j ACCEPT")).hasMessageContaining("icmp type any");
        // An extra port match before the multiport one: both must match in the kernel.
        assertThatThrownBy(() -> parse("FWP-I-web", "-p tcp -m comment --comment \"fwp1:cccccccccccccccc\" -m tcp --dport 443 -m multiport --dports 80,443 -j ACCEPT"))
                .hasMessageContaining("destination ports given twice");
        assertThatThrownBy(() -> parse("FWP-I-web", "-s 10.0.0.1/32 -s 10.0.0.2/32 -j ACCEPT")).hasMessageContaining("-s given twice");
        assertThatThrownBy(() -> parse("FWP-I-web", "-p udp -m tcp --dport 1 -j ACCEPT")).hasMessageContaining("-m tcp without -p tcp");
        assertThatThrownBy(() -> parse("FWP-I-web", "-j ACCEPT -j DROP")).hasMessageContaining("second target");
        assertThatThrownBy(() -> parse("FWP-I-web", "-m limit --limit 1/s -j ACCEPT")).hasMessageContaining("-m limit");
    }

    /** parse(render(r)) == r for every rule the generator builds straight from IR (shapes the language cannot write too). */
    @Property(tries = 200)
    void renderedRulesParseBack(@ForAll long seed) {
        new PolicyGenerator(seed, 20000, 20100).policy().allRules().forEach(RuleParserTest::roundTrips);
    }

    /** parse(render(r)) == r for every rule the compiler emits from generated policy text. */
    @Property(tries = 100)
    void compiledRulesParseBack(@ForAll long seed) {
        String text = new PolicyGenerator(seed, 20000, 20100).policyText();
        var result = new dev.fwpolicy.engine.compile.Compiler().compile(List.of(new dev.fwpolicy.engine.source.SourceFile("gen.fwpolicy", text)));
        assertThat(result.hasErrors()).as(text + "\n" + result.diagnostics()).isFalse();
        result.ruleSet().orElseThrow().allRules().forEach(RuleParserTest::roundTrips);
    }

    private static void roundTrips(CompiledRule r) {
        var parsed = RuleParser.parse(r.family(), r.chain(), RuleSpecs.spec(r));
        assertThat(parsed.match()).as(RuleSpecs.saveLine(r)).isEqualTo(r.match());
        assertThat(parsed.target()).as(RuleSpecs.saveLine(r)).isEqualTo(r.target());
        assertThat(parsed.id()).contains(r.id());
    }
}
