package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.compile.Compiler;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.DiagnosticCounts;
import dev.fwpolicy.engine.diag.Severity;
import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.NetworkSet;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What "check" means, for {@code fwpolicy check} and {@code POST /v1/check} alike: compile, then
 * run the {@code expect} lines of the test blocks. The expectations are part of the policy, so one
 * that does not hold is an error diagnostic (code {@code expectation-failed}) at its own line. A
 * policy that would cut off a must-pass flow is refused ({@link LockoutGuard}), so a check says
 * what {@code apply} or a reload in {@code serve} would do with it.
 *
 * <p>When the cluster's members are unknown ({@link ClusterInput#unknownMembers}), dynamic sets
 * compile empty: an expectation whose answer turned on one of them is not judged (a note,
 * {@code expectation-unknown}, says which set), the others are.
 */
public final class PolicyCheck {
    private final Compiler compiler;
    private final LockoutGuard guard;
    private final Supplier<ClusterInput> cluster;

    /** Checks against the cluster {@code cluster} gives at the time of each check (a watch's latest, or a file's). */
    public PolicyCheck(Compiler compiler, LockoutGuard guard, Supplier<ClusterInput> cluster) {
        this.compiler = compiler;
        this.guard = guard;
        this.cluster = cluster;
    }

    /** Without a cluster: a rule using a dynamic set is an error. */
    public PolicyCheck(Compiler compiler, LockoutGuard guard) {
        this(compiler, guard, () -> ClusterInput.NONE);
    }

    public PolicyCheck(Compiler compiler) {
        this(compiler, LockoutGuard.NONE);
    }

    public PolicyCheck() {
        this(new Compiler());
    }

    public CompileResult check(List<SourceFile> sources) {
        var input = cluster.get();
        var compiled = compiler.compile(sources, input);
        if (compiled.ruleSet().isEmpty()) return compiled;
        var found = new ArrayList<Diagnostic>();
        for (var result : ExpectationRunner.run(compiled).results()) {
            var unknown = input.membersKnown() ? Optional.<String>empty() : unknownSets(result.decision());
            if (unknown.isPresent()) {
                found.add(new Diagnostic(Severity.NOTE, "expectation-unknown", result.expectation().span(), "not checked ("
                        + result.flow().family().label() + "): the answer depends on the members of " + unknown.get()
                        + ", which are unknown without --cluster-state", List.of()));
            } else if (!result.passed()) {
                found.add(ExpectationRunner.Report.failure(result));
            }
        }
        if (found.isEmpty()) return guard.apply(compiled);
        var all = new ArrayList<Diagnostic>(compiled.diagnostics());
        all.addAll(found);
        return guard.apply(new CompileResult(compiled.sources(), compiled.files(), compiled.ruleSet(), all,
                compiled.counts().plus(DiagnosticCounts.of(found))));
    }

    /**
     * The dynamic sets a decision turned on: those of every rule on the way (the deciding one
     * included) whose answer other members could change. Without members a dynamic set holds only
     * its written addresses, and members only add to them: an address it already holds is in it
     * whoever the pods are, one it does not hold might be a pod's. A rule passed for its protocol,
     * port or anything else is passed whoever the members are.
     */
    static Optional<String> unknownSets(Decision decision) {
        var flow = decision.flow();
        var sets = new LinkedHashSet<String>();
        for (var step : decision.trace()) {
            var m = step.rule().match();
            var source = open(m.source(), flow.source());
            var destination = open(m.destination(), flow.destination());
            if (source.isEmpty() && destination.isEmpty()) continue;
            var withoutThem = new Match(m.protocol(), source.isPresent() ? Optional.empty() : m.source(),
                    destination.isPresent() ? Optional.empty() : m.destination(), m.sourcePorts(), m.destinationPorts(),
                    m.icmpType(), m.established(), m.loopbackInterface());
            if (Evaluator.firstMismatch(withoutThem, flow).isPresent()) continue;
            source.ifPresent(sets::add);
            destination.ifPresent(sets::add);
        }
        return sets.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", sets));
    }

    /** {@code $name} of a dynamic set that does not hold {@code address} yet, but a pod of the cluster might. */
    private static Optional<String> open(Optional<AddressMatch> match, Optional<dev.fwpolicy.engine.net.Address> address) {
        if (address.isEmpty()) return Optional.empty();
        var a = address.get();
        return match.flatMap(AddressMatch::set).filter(NetworkSet::isDynamic).filter(s -> !s.contains(a.hi(), a.lo()))
                .map(s -> "$" + s.set());
    }

}
