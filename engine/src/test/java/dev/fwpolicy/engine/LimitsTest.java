package dev.fwpolicy.engine;

import dev.fwpolicy.engine.compile.Compiler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.parser.Limits;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Oversized input is refused with a clear diagnostic, never a crash or a partial rule set. */
class LimitsTest {
    @Test
    void fileLargerThanTheLimitIsRefused() {
        var result = new Compiler(new Limits(64, 1000, 16)).compile(List.of(new SourceFile("big.fwpolicy",
                "policy p {\n" + "  # padding padding padding padding\n".repeat(4) + "}\n")));
        assertThat(result.ruleSet()).isEmpty();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("limit-exceeded");
            assertThat(d.message()).contains("the limit is 64");
        });
    }

    @Test
    void expansionBeyondTheRuleLimitIsRefused() {
        // 2 sources x 2 destinations in each of 2 families = 8 iptables rules from one written rule.
        String text = """
                policy p {
                  set a = { 10.0.0.1, 10.0.0.2, 2001:db8::1, 2001:db8::2 }
                  set b = { 10.0.1.1, 10.0.1.2, 2001:db8:1::1, 2001:db8:1::2 }
                  inbound {
                    allow tcp from $a to $b port 80
                  }
                }
                """;
        var generous = new Compiler(new Limits(1 << 20, 8, 16)).compile(List.of(new SourceFile("x.fwpolicy", text)));
        assertThat(generous.ruleSet()).isPresent();
        var strict = new Compiler(new Limits(1 << 20, 7, 16)).compile(List.of(new SourceFile("x.fwpolicy", text)));
        assertThat(strict.ruleSet()).isEmpty();
        assertThat(strict.diagnostics()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo("limit-exceeded");
            assertThat(d.span().line()).isEqualTo(5);
            assertThat(d.message()).contains("more than 7 iptables rules");
        });
    }

    @Test
    void setsNestedDeeperThanTheLimitAreRefused() {
        var sb = new StringBuilder("policy p {\n  set s0 = { 10.0.0.1 }\n");
        for (int i = 1; i <= 5; i++) sb.append("  set s").append(i).append(" = { $s").append(i - 1).append(" }\n");
        sb.append("  inbound { allow tcp from $s5 }\n}\n");
        var ok = new Compiler(new Limits(1 << 20, 1000, 8)).compile(List.of(new SourceFile("n.fwpolicy", sb.toString())));
        assertThat(ok.ruleSet()).isPresent();
        var deep = new Compiler(new Limits(1 << 20, 1000, 3)).compile(List.of(new SourceFile("n.fwpolicy", sb.toString())));
        assertThat(deep.diagnostics()).anyMatch(d -> d.code().equals("limit-exceeded") && d.message().contains("nest more than 3"));
    }
}
