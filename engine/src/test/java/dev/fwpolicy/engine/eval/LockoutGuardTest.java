package dev.fwpolicy.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lockout guard over compiled policies: what it refuses, where it points, what it lets through. */
class LockoutGuardTest {
    private static final String LOCKED_OUT = """
            policy app {
              default inbound deny
              default outbound deny
              inbound {
                allow established
                allow tcp to port 8080
              }
              outbound {
                allow established
                allow udp to port 53
              }
            }
            """;

    private static RuleSet compile(String text) {
        var result = new Compiler().compile(List.of(new SourceFile("app.fwpolicy", text)));
        assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        return result.ruleSet().orElseThrow();
    }

    private static LockoutGuard guard(String... flows) {
        var diagnostics = new Diagnostics();
        var list = java.util.Arrays.stream(flows)
                .map(f -> MustPassFlow.read("--must-pass", f, diagnostics).orElseThrow()).toList();
        assertThat(diagnostics.hasErrors()).isFalse();
        return new LockoutGuard(list);
    }

    @Test
    void aDeniedFlowIsALockoutAtTheDecidingRuleNamingTheFlow() {
        var found = guard("outbound tcp to 10.96.0.1 port 443").check(compile(LOCKED_OUT));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("lockout");
            assertThat(d.isError()).isTrue();
            assertThat(d.span().location()).isEqualTo("app.fwpolicy:3:3");
            assertThat(d.message()).contains("\"outbound tcp to 10.96.0.1 port 443\"", "from --must-pass", "denied",
                    "app.fwpolicy:3:3", "default outbound deny");
            assertThat(d.related()).singleElement().satisfies(r -> assertThat(r.span().file()).isEqualTo("--must-pass"));
        });
    }

    @Test
    void allowedFlowsPassAndTheArrowFormIsReadToo() {
        var allowing = LOCKED_OUT.replace("allow udp to port 53", "allow udp to port 53\n    allow tcp to 10.96.0.1 port 443");
        assertThat(guard("outbound tcp to 10.96.0.1 port 443", "inbound tcp 10.1.2.3:40000 -> 10.0.0.5:8080",
                "outbound udp to 2001:db8::53 port 53").check(compile(allowing))).isEmpty();
        assertThat(LockoutGuard.NONE.check(compile(LOCKED_OUT))).isEmpty();
    }

    @Test
    void repliesMustPassToo() {
        // The request goes out, but nothing lets the answers back in: cut off all the same.
        var noEstablished = """
                policy app {
                  default inbound deny
                  default outbound allow
                  inbound {
                    allow tcp to port 8080
                  }
                }
                """;
        var found = guard("outbound tcp to 10.96.0.1 port 443").check(compile(noEstablished));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.span().location()).isEqualTo("app.fwpolicy:2:3");
            assertThat(d.message()).contains("replies", "inbound tcp 10.96.0.1:443 -> * established", "default inbound deny");
        });
        // Inbound service traffic: its replies leave through OUTPUT.
        var noOutbound = """
                policy app {
                  default inbound deny
                  default outbound deny
                  inbound {
                    allow tcp to port 8080
                  }
                }
                """;
        assertThat(guard("inbound tcp from 10.1.2.3 to port 8080").check(compile(noOutbound)))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("outbound tcp *:8080 -> 10.1.2.3 established"));
    }

    @Test
    void aFlowWithoutFamilyMustPassInBothAndEachFailureIsNamed() {
        var v4Only = LOCKED_OUT.replace("allow udp to port 53", "allow udp to port 53\n    allow tcp to 0.0.0.0/0 port 443");
        var found = guard("outbound tcp to port 443").check(compile(v4Only));
        assertThat(found).singleElement().satisfies(d -> assertThat(d.message()).contains("(ipv6)"));
    }

    @Test
    void icmpEchoNeedsItsReplyOtherTypesDoNot() {
        assertThat(LockoutGuard.reply(Flow.parse("inbound icmp 10.1.2.3 -> 10.0.0.5 type echo-request")).orElseThrow().text())
                .isEqualTo("outbound icmp 10.0.0.5 -> 10.1.2.3 type echo-reply established");
        assertThat(LockoutGuard.reply(Flow.parse("inbound icmpv6 2001:db8::1 -> 2001:db8::2 type echo-request")).orElseThrow().text())
                .isEqualTo("outbound icmpv6 2001:db8::2 -> 2001:db8::1 type echo-reply established");
        assertThat(LockoutGuard.reply(Flow.parse("inbound icmp 10.1.2.3 -> 10.0.0.5 type destination-unreachable"))).isEmpty();
    }

    @Test
    void aRefusedCompileCarriesNoRuleSet() {
        var sources = List.of(new SourceFile("app.fwpolicy", LOCKED_OUT));
        var checked = new PolicyCheck(new Compiler(), guard("outbound tcp to 10.96.0.1 port 443")).check(sources);
        assertThat(checked.ruleSet()).isEmpty();
        assertThat(checked.diagnostics()).extracting(Diagnostic::code).containsExactly("lockout");
        assertThat(new PolicyCheck(new Compiler(), guard("inbound tcp to port 8080")).check(sources).ruleSet()).isPresent();
    }
}
