package dev.fwpolicy.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationRunnerTest {

    static final String POLICY = """
            policy web {
              default inbound deny
              inbound {
                allow tcp from { 192.168.10.0/24, 2001:db8:10::/48 } to port 443 "office"
                log tcp to port 22
                reject udp to port 53
              }
            }

            test web {
              expect allow inbound tcp from 192.168.10.7 to port 443
              expect deny inbound tcp from 172.16.0.1 to port 443
              expect allow inbound tcp from 172.16.0.1 to port 22 "wrong on purpose"
              expect reject inbound udp to port 53
            }
            """;

    static ExpectationRunner.Report run(String text) {
        var result = new Compiler().compile(List.of(new SourceFile("web.fwpolicy", text)));
        assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
        return ExpectationRunner.run(result);
    }

    @Test
    void aFailingExpectationNamesItsLocationTheVerdictAndTheDecidingRule() {
        var report = run(POLICY);
        assertThat(report.passed()).isFalse();
        // The udp expectation names no family, so it runs in both; the others have an address.
        assertThat(report.results()).hasSize(5);
        var failure = report.failures();
        assertThat(failure).singleElement().satisfies(f -> {
            assertThat(f.expectation().span().location()).isEqualTo("web.fwpolicy:13:3");
            assertThat(f.decision().verdict()).isEqualTo(Verdict.DENY);
            assertThat(f.failureText()).isEqualTo("""
                    web.fwpolicy:13:3: expectation failed: expect allow inbound tcp from 172.16.0.1 to port 22
                      expected allow, got deny (ipv4)
                      decided by web.fwpolicy:2:3: default inbound deny  [policy web]
                      flow: inbound tcp 172.16.0.1 -> *:22
                    """);
        });
        assertThat(report.diagnostics()).singleElement()
                .satisfies(d -> assertThat(d.headline()).startsWith("web.fwpolicy:13:3: error[expectation-failed]: expected allow, got deny"));
    }

    @Test
    void coverageCountsCompiledRulesReachedAsMatchingOrDeciding() {
        var report = run(POLICY);
        var c = report.coverage();
        // allow (v4, v6), log (v4, v6), reject (v4, v6) = 6 rules. Reached: allow v4 (decides),
        // log v4 (matched on the way), reject v4 and v6 (decide). Not: allow v6, log v6.
        assertThat(c.covered().size() + c.uncovered().size()).isEqualTo(6);
        assertThat(c.uncovered()).extracting(r -> r.family()).containsExactly(Family.V6, Family.V6);
        assertThat(c.uncovered()).extracting(r -> r.origin().span().line()).containsExactlyInAnyOrder(4, 5);
        assertThat(c.percent()).isEqualTo(100.0 * 4 / 6);
    }

    @Test
    void allPassingAndFullyCovered() {
        var report = run(POLICY.replace("expect allow inbound tcp from 172.16.0.1 to port 22 \"wrong on purpose\"",
                "expect deny inbound tcp from 172.16.0.1 to port 22\n  expect allow inbound tcp from 2001:db8:10::1 to port 443\n"
                        + "  expect deny inbound tcp from 2001:db8:99::1 to port 22"));
        assertThat(report.passed()).isTrue();
        assertThat(report.coverage().percent()).isEqualTo(100.0);
    }
}
