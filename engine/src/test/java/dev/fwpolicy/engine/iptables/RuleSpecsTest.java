package dev.fwpolicy.engine.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The iptables text of IR rules: rendered from the values alone, kept per rule object. */
class RuleSpecsTest {
    private static final String POLICY = """
            policy web {
              default inbound deny
              inbound {
                allow tcp from 10.0.0.0/8 to port 443 "clients"
              }
            }
            """;

    private static List<CompiledRule> rules() {
        var result = new Compiler().compile(List.of(new SourceFile("web.fwpolicy", POLICY)));
        return result.ruleSet().orElseThrow().allRules().toList();
    }

    @Test
    void theSpecIsRenderedFromTheRuleItsIdentityAndItsLabel() {
        var https = rules().stream().filter(r -> r.chain().equals("FWP-I-web")).findFirst().orElseThrow();
        assertThat(https.label()).isEqualTo("web clients");
        assertThat(RuleSpecs.spec(https)).isEqualTo("-s 10.0.0.0/8 -p tcp -m comment --comment \"fwp1:" + https.id()
                + " web clients\" -m tcp --dport 443 -j ACCEPT");
        assertThat(RuleSpecs.saveLine(https)).isEqualTo("-A FWP-I-web " + RuleSpecs.spec(https));
        assertThat(RuleIdentity.hash(https.family(), FilterTable.NAME, https.chain(),
                RuleRenderer.body(https.family(), https.match(), https.target(), https.chain()), 0))
                .as("the identity hashes the spec without its comment").isEqualTo(https.id());
    }

    @Test
    void aChainsSpecsAreRenderedOnceAndKeptWithTheChain() {
        var rs = new Compiler().compile(List.of(new SourceFile("web.fwpolicy", POLICY))).ruleSet().orElseThrow();
        var chain = rs.chain(dev.fwpolicy.engine.net.Family.V4, "FWP-INPUT").orElseThrow();
        var specs = RuleSpecs.of(chain);
        assertThat(specs).containsExactlyElementsOf(chain.rules().stream().map(RuleRenderer::spec).toList());
        assertThat(RuleSpecs.of(chain)).as("kept, not rendered again").isSameAs(specs);
        var twin = new dev.fwpolicy.engine.ir.OwnedChain(chain.family(), chain.name(), chain.rules());
        assertThat(RuleSpecs.of(twin)).as("an equal chain object has its own entry").isNotSameAs(specs).isEqualTo(specs);
    }

    @Test
    void loopbackIsMatchedOnTheChainsOwnSide() {
        assertThat(rules()).filteredOn(r -> r.match().loopbackInterface())
                .extracting(RuleSpecs::saveLine).allSatisfy(line -> assertThat(line).matches(
                        "-A FWP-INPUT -i lo -m comment --comment \"fwp1:\\S+ loopback\" -j ACCEPT"
                                + "|-A FWP-OUTPUT -o lo -m comment --comment \"fwp1:\\S+ loopback\" -j ACCEPT"))
                .hasSize(4);
    }

    @Test
    void aKernelsPrintIsKeptForThatRuleObjectOnly() {
        var rule = rules().get(0);
        var twin = new CompiledRule(rule.id(), rule.family(), rule.chain(), rule.match(), rule.target(), rule.label(), rule.origin());
        assertThat(twin).isEqualTo(rule);
        RuleSpecs.printed(twin, "-j ACCEPT (as the kernel printed it)");
        assertThat(RuleSpecs.spec(twin)).isEqualTo("-j ACCEPT (as the kernel printed it)");
        assertThat(RuleSpecs.spec(rule)).as("an equal rule built elsewhere is rendered").isEqualTo(RuleRenderer.spec(rule));
    }
}
