package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.ast.Expectation;
import dev.fwpolicy.engine.ast.FlowEndpoint;
import dev.fwpolicy.engine.ast.PolicyFile;
import dev.fwpolicy.engine.ast.ProtocolRef;
import dev.fwpolicy.engine.ast.TestDecl;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.Protocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Runs the {@code expect} lines of {@code test} blocks against a compiled rule set with the
 * {@link Evaluator}, and measures which written rules the expectations reach.
 *
 * <p>An expectation may leave fields out; those are unknown to the evaluator (they match
 * only rules that do not ask about them). When neither an address nor the protocol says
 * which family the packet is, the expectation is checked in IPv4 and in IPv6 and must
 * hold in both, since the author made no distinction.
 */
public final class ExpectationRunner {
    private ExpectationRunner() {}

    /** One expectation checked in one family. */
    public record Result(TestDecl test, Expectation expectation, Decision decision, boolean passed) {
        public Flow flow() {
            return decision.flow();
        }

        /** The expectation's own words, rebuilt from the AST. */
        public String expectText() {
            return ExpectationRunner.text(expectation);
        }

        /** {@code file:line:col: expectation failed: …} plus the actual verdict and the deciding rule. */
        public String failureText() {
            var sb = new StringBuilder();
            sb.append(expectation.span().location()).append(": expectation failed: ").append(expectText()).append('\n');
            sb.append("  expected ").append(expectation.verdict().keyword()).append(", got ").append(decision.verdict().keyword())
                    .append(" (").append(flow().family().label()).append(")\n");
            sb.append("  decided by ").append(decision.location()).append(": ").append(decision.text());
            decision.rule().flatMap(r -> r.origin().policy()).ifPresent(p -> sb.append("  [policy ").append(p).append(']'));
            sb.append('\n');
            // Which kernel set and member decided, and for a dynamic set the pod behind the address.
            for (var line : decision.setMatches()) sb.append("  ").append(line).append('\n');
            sb.append("  flow: ").append(flow().text()).append('\n');
            return sb.toString();
        }
    }

    /** Which written rules (origin RULE) the expectations reached as matching or deciding rules. */
    public record Coverage(List<CompiledRule> covered, List<CompiledRule> uncovered) {
        public Coverage {
            covered = List.copyOf(covered);
            uncovered = List.copyOf(uncovered);
        }

        public double percent() {
            int total = covered.size() + uncovered.size();
            return total == 0 ? 100.0 : 100.0 * covered.size() / total;
        }
    }

    public record Report(List<Result> results, Coverage coverage) {
        public Report {
            results = List.copyOf(results);
        }

        public List<Result> failures() {
            return results.stream().filter(r -> !r.passed()).toList();
        }

        public boolean passed() {
            return failures().isEmpty();
        }

        /** Failures as diagnostics, for {@code fwpolicy check} to print with the source line. */
        public List<Diagnostic> diagnostics() {
            return failures().stream().map(Report::failure).toList();
        }

        /** One failed expectation as an {@code expectation-failed} error at its line. */
        public static Diagnostic failure(Result f) {
            return Diagnostic.error("expectation-failed", f.expectation().span(),
                    "expected " + f.expectation().verdict().keyword() + ", got " + f.decision().verdict().keyword() + " ("
                            + f.flow().family().label() + "), decided by " + f.decision().location() + ": " + f.decision().text());
        }
    }

    /** Runs every expectation of a successful compilation. */
    public static Report run(CompileResult result) {
        var rs = result.ruleSet().orElseThrow(() -> new IllegalArgumentException("the policy did not compile"));
        return run(rs, result.files());
    }

    public static Report run(RuleSet ruleSet, List<PolicyFile> files) {
        // Built on the first expectation: indexing 40,000 rules costs a tenth of a check, and most
        // policies have no test block at all.
        Evaluator evaluator = null;
        var results = new ArrayList<Result>();
        Set<String> reached = new HashSet<>();
        for (var file : files) {
            for (var test : file.tests()) {
                for (var e : test.expectations()) {
                    for (var flow : flows(e)) {
                        if (evaluator == null) evaluator = new Evaluator(ruleSet);
                        var d = evaluator.evaluate(flow);
                        d.matchedRules().forEach(r -> reached.add(r.id()));
                        results.add(new Result(test, e, d, d.verdict() == e.verdict()));
                    }
                }
            }
        }
        var covered = new ArrayList<CompiledRule>();
        var uncovered = new ArrayList<CompiledRule>();
        ruleSet.allRules().filter(r -> r.origin().kind() == RuleOrigin.Kind.RULE)
                .forEach(r -> (reached.contains(r.id()) ? covered : uncovered).add(r));
        return new Report(results, new Coverage(covered, uncovered));
    }

    /** The packet(s) an expectation describes: one per family it may be in. */
    public static List<Flow> flows(Expectation e) {
        return Flow.of(e.flow());
    }

    static String text(Expectation e) {
        return "expect " + e.verdict().keyword() + " " + e.flow().words();
    }
}
