package dev.fwpolicy.engine.compile;


import dev.fwpolicy.engine.ast.*;
import dev.fwpolicy.engine.check.ClusterMembers;
import dev.fwpolicy.engine.check.ExpectationCheck;
import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.check.PolicyScope;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.parser.Limits;
import dev.fwpolicy.engine.parser.PolicyParser;
import dev.fwpolicy.engine.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** One compilation: parse every source, check across them, lower, lay out, analyse. */
public final class PolicyCompiler {
    private final Limits limits;
    private final Diagnostics diagnostics = new Diagnostics();
    private final KernelSetChoice kernelSets;
    private final ClusterMembers cluster;

    public PolicyCompiler(Limits limits) {
        this(limits, ClusterInput.NONE);
    }

    /** Dynamic sets take their members from {@code cluster} (see {@link ClusterInput}). */
    public PolicyCompiler(Limits limits, ClusterInput cluster) {
        this.limits = limits;
        this.cluster = new ClusterMembers(cluster);
        this.kernelSets = new KernelSetChoice(limits.kernelSetThreshold(), limits.maxSetMembers(), diagnostics, cluster);
    }

    public CompileResult compile(List<SourceFile> sources) {
        var parser = new PolicyParser(limits);
        var files = new ArrayList<PolicyFile>();
        var byName = new LinkedHashMap<String, SourceFile>();
        for (var source : sources) {
            byName.put(source.name(), source);
            parser.parse(source, diagnostics).ifPresent(files::add);
        }
        var policies = orderedPolicies(files);
        ChainNameCheck.run(policies, diagnostics);
        KernelSetChoice.checkSettings(policies, diagnostics);
        var defaults = DefaultsCheck.resolve(policies, diagnostics);
        var lowered = lower(policies);
        var tests = files.stream().flatMap(f -> f.tests().stream()).toList();
        ExpectationCheck.run(tests, policies.stream().map(p -> p.name().text()).toList(), diagnostics);

        Optional<RuleSet> ruleSet = Optional.empty();
        boolean parsedAll = files.size() == sources.size();
        if (!diagnostics.hasErrors() && parsedAll) {
            ShadowAnalysis.run(lowered, diagnostics);
            ruleSet = Optional.of(new RuleSetBuilder(byName).build(policies, lowered, defaults, revision(sources), kernelSets.sets()));
        }
        return new CompileResult(sources, files, ruleSet, diagnostics.sorted(), diagnostics.counts());
    }

    /** Priority first (lower runs first), then name: the order is independent of file order. */
    private List<PolicyDecl> orderedPolicies(List<PolicyFile> files) {
        var seen = new LinkedHashMap<String, PolicyDecl>();
        for (var file : files) {
            for (var p : file.policies()) {
                var first = seen.putIfAbsent(p.name().text(), p);
                if (first != null) {
                    diagnostics.add(Diagnostic.error("duplicate-name", p.name().span(), "policy '" + p.name().text()
                            + "' is already defined").withRelated(first.name().span(), "first defined here"));
                }
            }
        }
        var list = new ArrayList<>(seen.values());
        list.sort(Comparator.comparingInt(PolicyDecl::effectivePriority).thenComparing(p -> p.name().text()));
        return list;
    }

    private List<LoweredRule> lower(List<PolicyDecl> policies) {
        var out = new ArrayList<LoweredRule>();
        for (var policy : policies) {
            var scope = PolicyScope.of(policy, diagnostics, limits.maxNesting(), cluster);
            var lowering = new RuleLowering(diagnostics, scope, limits.maxCompiledRules(), out.size(), kernelSets);
            // Every declared set is resolved even if unused, so its errors are reported.
            scope.checkAllDeclarations(policy);
            for (var item : policy.items()) {
                if (!(item instanceof DirectionBlock block)) continue;
                for (var rule : block.rules()) {
                    out.addAll(lowering.lower(policy, block.direction(), rule));
                    if (lowering.limitReached()) return out;
                }
            }
        }
        return out;
    }

    /** A short hash of every source's name and text: tells which policy version is in force. */
    static String revision(List<SourceFile> sources) {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            sources.stream().sorted(Comparator.comparing(SourceFile::name)).forEach(s -> {
                md.update(s.name().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(s.text().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            });
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
