package dev.fwpolicy.engine;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import dev.fwpolicy.engine.compile.Compiler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.iptables.RestoreRenderer;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Invariant 9: nothing a policy author writes can escape into the restore payloads (iptables
 * and, for kernel sets, ipset: a set name is built from author-chosen names). Notes
 * full of quotes, backslashes, escaped newlines and option-looking text must still give
 * exactly one payload line per rule, each with one well-formed comment.
 */
class InjectionTest {
    private static final String HOSTILE = """
            policy evil {
              inbound {
                allow tcp to port 22 "x\\" -j ACCEPT\\n-A INPUT -j DROP\\ncomment"
                allow tcp to port 23 "\\\\\\" --log-prefix \\"pwn"
                allow tcp to port 24 "$(reboot) `id` 'single' ; rm -rf /"
                allow tcp to port 25 "tab\\there\\u0000 and \\r carriage"
                allow tcp to port 26 "%s%n%x{}[]"
              }
            }
            """;

    private static final Pattern SAFE_LINE = Pattern.compile(
            "^-A [A-Za-z0-9_-]+ (?:[^\"]*)-m comment --comment \"fwp1:[A-Za-z0-9_-]{16}[ -~&&[^\"\\\\`$']]*\"(?:[^\"]*|.* --log-prefix \"[ -~&&[^\"]]*\" ?)$");

    @Test
    void hostileNotesCannotAddRulesOrOptions() {
        var result = new Compiler().compile(List.of(new SourceFile("evil.fwpolicy", HOSTILE)));
        assertThat(result.diagnostics()).isEmpty();
        var rules = result.ruleSet().orElseThrow();
        for (var family : Family.values()) {
            String payload = RestoreRenderer.render(rules, family);
            var ruleLines = Arrays.stream(payload.split("\n")).filter(l -> l.startsWith("-A ")).toList();
            assertThat(ruleLines).as("one line per compiled rule").hasSize((int) rules.allRules().filter(r -> r.family() == family).count());
            assertThat(payload.split("\n")).as("no line other than headers, chains, rules and COMMIT")
                    .allMatch(l -> l.startsWith("-A ") || l.startsWith(":FWP-") || l.equals("*filter") || l.equals("COMMIT") || l.startsWith("# fwpolicy"));
            for (var line : ruleLines) {
                assertThat(line).matches(SAFE_LINE);
                assertThat(line.chars().filter(c -> c == '"').count()).as("exactly one quoted comment: " + line).isEqualTo(2);
                assertThat(line).doesNotContain("-j DROP\n").doesNotContain("\\");
            }
            // The only ACCEPT targets: five author rules, two loopback rules, two implicit allow defaults.
            assertThat(ruleLines.stream().filter(l -> l.endsWith("-j ACCEPT")).count()).isEqualTo(9);
        }
    }

    /** Owned set commands only, one set name a token of {@code [a-z0-9_.-]}, members as bare networks. */
    private static final Pattern SAFE_SET_LINE = Pattern.compile(
            "^(?:create fwp-[a-z0-9_-]+(?:\\.t)? hash:net family inet6? [a-z0-9 ]+|(?:add|del) fwp-[a-z0-9_-]+(?:\\.t)? [0-9a-f.:]+/\\d+"
                    + "|(?:swap|destroy|flush) fwp-[a-z0-9_.-]+(?: fwp-[a-z0-9_.-]+)?)$");

    @Test
    void setNamesAndMembersStayOneTokenInTheIpsetPayload() {
        String src = """
                policy p-_9 {
                  kernel-sets above 1
                  set Clients_-9 = { 10.0.0.0/24, 10.0.2.0/24, 2001:db8::/48, 2001:db8:2::/48 }
                  inbound {
                    allow tcp from $Clients_-9 to port 22
                  }
                }
                """;
        var ruleSet = new Compiler().compile(List.of(new SourceFile("names.fwpolicy", src))).ruleSet().orElseThrow();
        assertThat(ruleSet.sets()).hasSize(2);
        var sets = ruleSet.sets().stream().map(dev.fwpolicy.engine.ipset.KernelSet::desired).toList();
        String payload = new dev.fwpolicy.engine.ipset.SetPlanner()
                .plan(sets, dev.fwpolicy.engine.ipset.KernelSets.empty(), java.util.Set.of()).payload();
        assertThat(payload.split("\n")).allMatch(l -> SAFE_SET_LINE.matcher(l).matches(), "a safe ipset restore line");
        for (var family : Family.values()) {
            for (var line : RestoreRenderer.render(ruleSet, family).split("\n")) {
                if (line.contains("--match-set")) assertThat(line).matches(".* --match-set fwp-[a-z0-9_-]+ (?:src|dst) .*");
            }
        }
    }

    @Test
    void commentsStayWithinIptablesLimit() {
        String longNote = "n".repeat(1000);
        var src = "policy p { inbound { allow tcp to port 1 \"" + longNote + "\" } }";
        var rules = new Compiler().compile(List.of(new SourceFile("long.fwpolicy", src))).ruleSet().orElseThrow();
        rules.allRules().forEach(r -> {
            var m = Pattern.compile("--comment \"([^\"]*)\"").matcher(RuleSpecs.spec(r));
            assertThat(m.find()).isTrue();
            assertThat(m.group(1).length()).isLessThanOrEqualTo(255);
            assertThat(m.group(1)).startsWith("fwp1:" + r.id());
        });
    }
}
