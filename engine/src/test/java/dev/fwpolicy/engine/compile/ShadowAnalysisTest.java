package dev.fwpolicy.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.ast.DirectionBlock;
import dev.fwpolicy.engine.check.PolicyScope;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shadow analysis counts its exact rule comparisons, so its cost is asserted as a number
 * of comparisons (not a time): a same-port policy of N rules from different hosts must cost
 * about N, where comparing each rule with every earlier one cost N²/2 (800 million at 40,000).
 */
class ShadowAnalysisTest {

    private static List<LoweredRule> lower(String text) {
        var diagnostics = new Diagnostics();
        var file = new PolicyParser().parse(new SourceFile("s.fwpolicy", text), diagnostics).orElseThrow();
        var out = new ArrayList<LoweredRule>();
        for (var policy : file.policies()) {
            var lowering = new RuleLowering(diagnostics, PolicyScope.of(policy, diagnostics, 16), 1_000_000, out.size());
            for (var item : policy.items()) {
                if (item instanceof DirectionBlock block) {
                    for (var rule : block.rules()) out.addAll(lowering.lower(policy, block.direction(), rule));
                }
            }
        }
        assertThat(diagnostics.sorted()).isEmpty();
        return out;
    }

    private static String samePort(int rules, String extra) {
        var sb = new StringBuilder("policy p {\n  inbound {\n");
        for (int i = 0; i < rules; i++) {
            sb.append("    allow tcp from 10.").append(i / 250 % 250).append('.').append(i % 250).append(".1 to port 80\n");
        }
        return sb.append(extra).append("  }\n}\n").toString();
    }

    @Test
    void aSamePortPolicyCostsAboutOneComparisonPerRule() {
        var lowered = lower(samePort(40_000, "    allow tcp from 10.0.5.1 to port 80 \"again\"\n"));
        var diagnostics = new Diagnostics();
        ShadowAnalysis.run(lowered, diagnostics, 50_000);
        assertThat(diagnostics.sorted()).extracting(Diagnostic::code).containsExactly("shadowed-rule");
        var shadowed = diagnostics.sorted().get(0);
        assertThat(shadowed.span().line()).isEqualTo(40_003);
        assertThat(shadowed.related()).singleElement().satisfies(r -> assertThat(r.span().line()).isEqualTo(3 + 5));
    }

    @Test
    void theEarliestCoveringRuleIsNamedWhateverIndexBucketItIsIn() {
        var lowered = lower("""
                policy p {
                  inbound {
                    allow tcp from 10.1.0.0/16 to port 443
                    allow tcp from 10.0.0.0/8 to port { 80, 443 }
                    allow tcp to port 443
                    allow tcp from 10.1.2.3 to port 443
                  }
                }
                """);
        var diagnostics = new Diagnostics();
        ShadowAnalysis.run(lowered, diagnostics);
        assertThat(diagnostics.sorted()).filteredOn(d -> d.span().line() == 6).singleElement()
                .satisfies(d -> assertThat(d.related().get(0).span().line()).isEqualTo(3));
    }

    @Test
    void negatedAndWiderAddressesAndPortRangesStillShadow() {
        var lowered = lower("""
                policy p {
                  inbound {
                    deny tcp from not 192.168.0.0/16 to 10.0.0.0/8 port 1000-2000
                    allow tcp from 172.16.1.1 to 10.2.0.0/16 port 1500
                    allow tcp from 192.168.1.1 to 10.2.0.0/16 port 1500
                  }
                }
                """);
        var diagnostics = new Diagnostics();
        ShadowAnalysis.run(lowered, diagnostics);
        assertThat(diagnostics.sorted()).extracting(d -> d.span().line()).containsExactly(4);
    }

    @Test
    void pastItsBudgetTheAnalysisStopsWithAWarningInsteadOfRunningOn() {
        // Every rule has its own two-port list on the same (any) address: the wide lists are compared one by one.
        var sb = new StringBuilder("policy p {\n  inbound {\n");
        for (int i = 0; i < 2_000; i++) sb.append("    allow tcp to port { ").append(1000 + 2 * i).append(", ").append(20000 + 2 * i).append(" }\n");
        var lowered = lower(sb.append("  }\n}\n").toString());
        var diagnostics = new Diagnostics();
        ShadowAnalysis.run(lowered, diagnostics, 100_000);
        assertThat(diagnostics.sorted()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("shadow-analysis-incomplete");
            assertThat(d.isError()).isFalse();
        });
    }
}
