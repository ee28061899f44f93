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

    @Test
    void aCrossProductPastTheLimitIsRefusedBeforeAnyOfItIsBuilt() {
        // Two 3,000-address sets: 9,000,000 rules. Building them took 9.7 s and 1.1 GB (or ended in
        // an OutOfMemoryError); counting them from the set sizes allocates next to nothing.
        var text = new StringBuilder("policy big {\n  set a = {");
        for (int i = 0; i < 3000; i++) text.append(i == 0 ? " " : ", ").append("10.").append(i / 250).append('.').append(i % 250).append(".1");
        text.append(" }\n  set b = {");
        for (int i = 0; i < 3000; i++) text.append(i == 0 ? " " : ", ").append("11.").append(i / 250).append('.').append(i % 250).append(".1");
        text.append(" }\n  inbound {\n    allow tcp from $a to $b port 80\n  }\n}\n");
        var source = new SourceFile("cross.fwpolicy", text.toString());

        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        // Declared sets this long become kernel sets (one rule); with the threshold raised past
        // them they are expanded, which is the cross product this limit is about.
        var result = new Compiler(Limits.DEFAULT.withKernelSetThreshold(Integer.MAX_VALUE)).compile(List.of(source));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(result.ruleSet()).isEmpty();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("limit-exceeded");
            assertThat(d.span().line()).isEqualTo(5);
            assertThat(d.message()).isEqualTo("the policies expand to more than 200,000 iptables rules: this rule alone makes"
                    + " 9,000,000 (3,000 source(s) x 3,000 destination(s) x 1 x 1 port group(s) in IPv4)");
        });
        // Not a timing: 9 million lowered rules are gigabytes; parsing and checking this file is a few MB.
        assertThat(allocated).as("bytes allocated by the compile").isLessThan(200L << 20);
        // With the default threshold the same policy is one rule matching two kernel sets.
        var sets = new Compiler().compile(List.of(source));
        assertThat(sets.ruleSet()).hasValueSatisfying(rs -> {
            assertThat(rs.sets()).hasSize(2);
            assertThat(rs.chain(dev.fwpolicy.engine.net.Family.V4, "FWP-I-big").orElseThrow().rules()).hasSize(1);
        });
    }

    @Test
    void theRuleLimitCountsRulesBeforeTheOneThatPassesIt() {
        String text = """
                policy p {
                  inbound {
                    allow established
                    allow tcp from { 10.0.0.1, 10.0.0.3, 10.0.0.5 } to port 80
                  }
                }
                """;
        // 'established' makes one rule per family (2), the second rule 3: 5 fit, 4 do not.
        assertThat(new Compiler(new Limits(1 << 20, 5, 16)).compile(List.of(new SourceFile("x.fwpolicy", text))).ruleSet()).isPresent();
        var strict = new Compiler(new Limits(1 << 20, 4, 16)).compile(List.of(new SourceFile("x.fwpolicy", text)));
        assertThat(strict.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.span().line()).isEqualTo(4);
            assertThat(d.message()).contains("this rule alone makes 3 (3 source(s)");
        });
    }

    @Test
    void setsThatIncludeEachOtherManyTimesResolveOnce() {
        // s15 names s14 ten times, which names s13 ten times, …: 10^15 members when walked, 1 when remembered.
        var sb = new StringBuilder("policy p {\n  set s0 = { 10.0.0.1 }\n");
        for (int i = 1; i <= 15; i++) {
            sb.append("  set s").append(i).append(" = { ");
            for (int k = 0; k < 10; k++) sb.append(k == 0 ? "" : ", ").append("$s").append(i - 1);
            sb.append(" }\n");
        }
        sb.append("  inbound { allow tcp from $s15 }\n}\n");
        var result = new Compiler().compile(List.of(new SourceFile("n.fwpolicy", sb.toString())));
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.ruleSet()).isPresent();
        // The limit is still the depth of the references, whatever order the sets were resolved in.
        var deep = new Compiler(new Limits(1 << 20, 1000, 15)).compile(List.of(new SourceFile("n.fwpolicy", sb.toString())));
        assertThat(deep.diagnostics()).anyMatch(d -> d.code().equals("limit-exceeded") && d.message().contains("nest more than 15"));
    }

    @Test
    void failingSetsThatIncludeEachOtherManyTimesAreBounded() {
        var sb = new StringBuilder("policy p {\n  set s0 = { $missing }\n");
        for (int i = 1; i <= 15; i++) {
            sb.append("  set s").append(i).append(" = { ");
            for (int k = 0; k < 10; k++) sb.append(k == 0 ? "" : ", ").append("$s").append(i - 1);
            sb.append(" }\n");
        }
        sb.append("}\n");
        var result = new Compiler().compile(List.of(new SourceFile("n.fwpolicy", sb.toString())));
        assertThat(result.diagnostics()).anyMatch(d -> d.code().equals("undefined-name"));
        assertThat(result.diagnostics()).anyMatch(d -> d.code().equals("limit-exceeded") && d.message().contains("more than 1000000 times"));
    }
}
