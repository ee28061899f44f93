package dev.fwpolicy.engine.properties;

import dev.fwpolicy.engine.iptables.RuleSpecs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.ast.PolicyFile;
import dev.fwpolicy.engine.diag.DiagnosticPrinter;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.format.Formatter;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Round-trips and canonical-form properties over generated policies. */
class PolicyProperties {
    private static final Pattern SPAN = Pattern.compile("span=[^,\\]\\)]*");
    private static final Pattern HUMAN_PART = Pattern.compile("(--comment \"fwp1:[A-Za-z0-9_-]{16})[^\"]*\"");

    @Property(tries = 200)
    void parseOfFmtEqualsOriginalAndFmtIsIdempotent(@ForAll long seed) {
        var model = GeneratedPolicy.random(new Random(seed));
        String text = model.render(new GeneratedPolicy.Style(seed, true, true, false));
        var original = parse(text);
        String formatted = Formatter.format(original);
        var reparsed = parse(formatted);
        assertThat(withoutSpans(reparsed)).isEqualTo(withoutSpans(original));
        assertThat(Formatter.format(reparsed)).as("fmt twice = fmt once").isEqualTo(formatted);
        assertThat(reparsed.comments()).as("no comment lost").hasSameSizeAs(original.comments());
    }

    @Property(tries = 200)
    void layoutOrderDuplicatesAndCommentsDoNotChangeRulesOrHashes(@ForAll long seed) {
        var model = GeneratedPolicy.random(new Random(seed));
        var plain = compile(model.render(new GeneratedPolicy.Style(seed, false, false, false)));
        var noisy = compile(model.render(new GeneratedPolicy.Style(seed + 1, true, true, true)));
        assertThat(ids(noisy)).isEqualTo(ids(plain));
        assertThat(bodies(noisy)).isEqualTo(bodies(plain));
    }

    @Property(tries = 200)
    void changingOneRuleChangesItsHashesAndOnlyThose(@ForAll long seed) {
        var random = new Random(seed);
        var model = GeneratedPolicy.random(random);
        var candidates = new ArrayList<int[]>();
        for (int p = 0; p < model.policies().size(); p++) {
            var rules = model.policies().get(p).inbound();
            for (int i = 0; i < rules.size(); i++) {
                var proto = rules.get(i).proto();
                if ("tcp".equals(proto) || "udp".equals(proto)) candidates.add(new int[] {p, i});
            }
        }
        Assume.that(!candidates.isEmpty());
        var pick = candidates.get(random.nextInt(candidates.size()));
        var changed = withFreshPort(model, pick[0], pick[1]);
        var style = new GeneratedPolicy.Style(seed, false, false, true);
        var before = compile(model.render(style));
        var after = compile(changed.render(style));
        // Two identical written rules share bodies; the occurrence index then ties their identities together.
        Assume.that(bodiesUniquePerChain(before) && bodiesUniquePerChain(after));

        int changedLine = lineOfRule(changed.render(style), pick[0], pick[1]);
        var beforeIds = new HashSet<>(ids(before));
        for (var rule : all(after)) {
            boolean fromChangedRule = rule.origin().span().line() == changedLine
                    && rule.origin().kind() == dev.fwpolicy.engine.ir.RuleOrigin.Kind.RULE;
            assertThat(beforeIds.contains(rule.id()))
                    .as("rule %s (%s) kept its identity", RuleSpecs.saveLine(rule), fromChangedRule ? "the changed rule" : "an unchanged rule")
                    .isEqualTo(!fromChangedRule);
        }
    }

    private static GeneratedPolicy withFreshPort(GeneratedPolicy model, int policy, int rule) {
        var policies = new ArrayList<>(model.policies());
        var p = policies.get(policy);
        var rules = new ArrayList<>(p.inbound());
        var r = rules.get(rule);
        rules.set(rule, new GeneratedPolicy.Rule(r.action(), r.proto(), r.from(), r.sports(), r.to(), List.of("64999"),
                r.icmpType(), r.note()));
        policies.set(policy, new GeneratedPolicy.Policy(p.name(), p.priority(), p.defaultIn(), p.defaultOut(), p.sets(),
                p.portSets(), rules, p.outbound(), p.kernelSetsAbove()));
        return new GeneratedPolicy(policies);
    }

    /** The line a rule starts on: the generator writes each rule on the line after the previous one. */
    private static int lineOfRule(String text, int policy, int rule) {
        var file = parse(text);
        var p = file.policies().get(policy);
        for (var item : p.items()) {
            if (item instanceof dev.fwpolicy.engine.ast.DirectionBlock b && b.direction() == dev.fwpolicy.engine.vocabulary.Direction.INBOUND) {
                return b.rules().get(rule).span().line();
            }
        }
        throw new AssertionError("no inbound block");
    }

    private static boolean bodiesUniquePerChain(CompileResult result) {
        var seen = new HashSet<String>();
        for (var r : all(result)) {
            if (!seen.add(r.family() + " " + r.chain() + " " + stripHuman(RuleSpecs.spec(r)))) return false;
        }
        return true;
    }

    private static PolicyFile parse(String text) {
        var diagnostics = new Diagnostics();
        var source = new SourceFile("gen.fwpolicy", text);
        var file = new PolicyParser().parse(source, diagnostics);
        assertThat(diagnostics.hasErrors()).as(new DiagnosticPrinter(List.of(source)).printAll(diagnostics.sorted()) + text).isFalse();
        return file.orElseThrow();
    }

    private static CompileResult compile(String text) {
        var source = new SourceFile("gen.fwpolicy", text);
        var result = new Compiler().compile(List.of(source));
        assertThat(result.ruleSet()).as(new DiagnosticPrinter(List.of(source)).printAll(result.diagnostics()) + text).isPresent();
        return result;
    }

    private static List<CompiledRule> all(CompileResult result) {
        return result.ruleSet().orElseThrow().allRules().toList();
    }

    private static List<String> ids(CompileResult result) {
        return all(result).stream().map(CompiledRule::id).toList();
    }

    private static List<String> bodies(CompileResult result) {
        return all(result).stream().map(r -> r.chain() + " " + stripHuman(RuleSpecs.spec(r))).toList();
    }

    static String stripHuman(String spec) {
        return HUMAN_PART.matcher(spec).replaceAll("$1\"");
    }

    private static String withoutSpans(PolicyFile file) {
        return SPAN.matcher(file.declarations().toString()).replaceAll("span");
    }
}
