package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compare.PolicyComparison;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.eval.Evaluator;
import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.iptables.RuleParser;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Audited policies and defaults: compiled to log + return / log + accept, evaluated as recorded, not enforced. */
class AuditCompileTest {
    private static final String POLICIES = """
            policy trial priority 10 audit {
              inbound {
                allow tcp to port 80
                deny tcp to port 22 "no ssh"
                reject udp to port 53
              }
            }
            policy base priority 20 {
              default inbound deny audit
              inbound {
                deny tcp to port 80
                allow tcp to port 22
              }
            }
            """;

    static RuleSet compile(String text) {
        var result = new Compiler().compile(List.of(new SourceFile("a.fwpolicy", text)));
        assertThat(result.hasErrors()).as("%s", result.diagnostics()).isFalse();
        return result.ruleSet().orElseThrow();
    }

    private static List<CompiledRule> chain(RuleSet rs, String name) {
        return rs.chain(dev.fwpolicy.engine.net.Family.V4, name).orElseThrow().rules();
    }

    @Test
    void auditedRulesLogAndReturnAndTheAuditedDefaultLogsAndAccepts() {
        var rs = compile(POLICIES);
        var trial = chain(rs, "FWP-I-trial");
        assertThat(trial).extracting(r -> r.target().label()).containsExactly("RETURN", "LOG", "RETURN", "LOG", "RETURN");
        assertThat(RuleSpecs.spec(trial.get(1))).contains("--dport 22").endsWith("-m limit --limit 10/min -j LOG --log-prefix \"fwp audit trial \"");
        assertThat(RuleSpecs.spec(trial.get(2))).contains("--dport 22").endsWith("-j RETURN");
        assertThat(trial.get(2).origin().audited()).contains(Verdict.DENY);
        assertThat(trial.get(2).origin().countsWouldDeny(trial.get(2).target())).isTrue();
        assertThat(trial.get(1).origin().countsWouldDeny(trial.get(1).target())).as("the log counts only what it logs").isFalse();
        assertThat(trial.get(0).origin().countsWouldDeny(trial.get(0).target())).as("a would-allow").isFalse();
        var entry = chain(rs, "FWP-INPUT");
        var last = entry.get(entry.size() - 1);
        assertThat(last.target()).isInstanceOf(Target.Accept.class);
        assertThat(last.origin().audited()).contains(Verdict.DENY);
        assertThat(entry.get(entry.size() - 2).target()).isInstanceOf(Target.AuditLog.class);
        // the renderer's inverse reads every one of them back as written
        for (var r : rs.allRules().toList()) {
            var parsed = RuleParser.parse(r.family(), r.chain(), RuleSpecs.spec(r));
            assertThat(parsed.target()).as(RuleSpecs.spec(r)).isEqualTo(r.target());
            assertThat(parsed.match()).as(RuleSpecs.spec(r)).isEqualTo(r.match());
        }
    }

    @Test
    void aWouldDenyGoesOnToTheNextPolicyAndAnAuditedAllowDecidesNothing() {
        var eval = new Evaluator(compile(POLICIES));
        var ssh = eval.evaluate(Flow.parse("inbound tcp from 10.0.0.1 to 10.0.0.2 port 22"));
        assertThat(ssh.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(ssh.location()).isEqualTo("a.fwpolicy:12:5");
        assertThat(ssh.auditText()).contains("audit: would deny by a.fwpolicy:4:5");
        assertThat(ssh.explain()).contains("=> ALLOW by a.fwpolicy:12:5").contains("(audit: would deny by a.fwpolicy:4:5)");
        // the audited allow returns: the enforced deny of the next policy decides
        var web = eval.decide(Flow.parse("inbound tcp from 10.0.0.1 to 10.0.0.2 port 80"));
        assertThat(web.verdict()).isEqualTo(Verdict.DENY);
        assertThat(web.audit()).isEmpty();
        // nothing decides: the audited default accepts, and says it would have denied
        var other = eval.decide(Flow.parse("inbound udp from 10.0.0.1 to 10.0.0.2 port 53"));
        assertThat(other.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(other.auditText()).contains("audit: would reject by a.fwpolicy:5:5; would deny by a.fwpolicy:9:3");
    }

    @Test
    void auditingChangesNoVerdict() {
        var audited = compile(POLICIES);
        var none = compile(POLICIES.substring(POLICIES.indexOf("policy base")).replace("default inbound deny audit", "default inbound allow"));
        assertThat(PolicyComparison.compare(none, audited)).as("an audited policy and an audited default change no verdict").isEmpty();
        // and enforcing them does
        var enforced = compile(POLICIES.replace(" audit {", " {").replace("deny audit", "deny"));
        assertThat(PolicyComparison.compare(none, enforced)).isNotEmpty();
    }

    @Test
    void fmtKeepsAudit() {
        var diagnostics = new Diagnostics();
        var file = new PolicyParser().parse(new SourceFile("a.fwpolicy", POLICIES), diagnostics).orElseThrow();
        String formatted = Formatter.format(file);
        assertThat(formatted).contains("policy trial priority 10 audit {").contains("default inbound deny audit");
        var again = new PolicyParser().parse(new SourceFile("a.fwpolicy", formatted), diagnostics).orElseThrow();
        assertThat(Formatter.format(again)).isEqualTo(formatted);
        assertThat(diagnostics.sorted()).isEmpty();
    }

    @Test
    void anAuditedDefaultConflictsWithAnEnforcedOne() {
        var result = new Compiler().compile(List.of(new SourceFile("a.fwpolicy",
                "policy a {\n  default inbound deny audit\n}\npolicy b {\n  default inbound deny\n}\n")));
        assertThat(result.diagnostics()).anyMatch(d -> d.code().equals("conflicting-default"));
    }
}
