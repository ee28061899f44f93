package dev.fwpolicy.engine.eval;

import dev.fwpolicy.engine.compile.CompileResult;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.DiagnosticCounts;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Refuses a policy that would cut off a flow that must keep working — above all the one that
 * brings the next policy: a ConfigMap-driven sidecar whose policy blocks the API server can
 * never receive the fix. Each must-pass flow is asked of the compiled rule set with the same
 * {@link Evaluator} as {@code eval}, and so is its reply (the other direction, endpoints swapped,
 * an established connection): a connection whose answers are dropped is cut off too. Anything
 * but ALLOW is a {@code lockout} error located at the deciding rule.
 */
public final class LockoutGuard {
    public static final String CODE = "lockout";
    /** No must-pass flows: every policy passes. */
    public static final LockoutGuard NONE = new LockoutGuard(List.of());

    private final List<MustPassFlow> flows;

    public LockoutGuard(List<MustPassFlow> flows) {
        this.flows = List.copyOf(flows);
    }

    public List<MustPassFlow> flows() {
        return flows;
    }

    public LockoutGuard plus(List<MustPassFlow> more) {
        var all = new ArrayList<>(flows);
        all.addAll(more);
        return new LockoutGuard(all);
    }

    /** One {@code lockout} error per must-pass packet (or reply) the rule set does not allow. */
    public List<Diagnostic> check(RuleSet ruleSet) {
        if (flows.isEmpty()) return List.of();
        var evaluator = new Evaluator(ruleSet);
        var out = new ArrayList<Diagnostic>();
        for (var mustPass : flows) {
            boolean perFamily = mustPass.flows().size() > 1;
            for (var flow : mustPass.flows()) {
                String family = perFamily ? " (" + flow.family().label() + ")" : "";
                var there = evaluator.decide(flow);
                if (there.verdict() != Verdict.ALLOW) {
                    out.add(lockout(mustPass, there, "must-pass flow \"" + mustPass.text() + "\"" + family + " from "
                            + mustPass.origin() + " would be " + verdictWord(there) + " by " + there.location() + ": "
                            + there.text()));
                    continue;
                }
                var reply = reply(flow);
                if (reply.isEmpty()) continue;
                var back = evaluator.decide(reply.get());
                if (back.verdict() != Verdict.ALLOW) {
                    out.add(lockout(mustPass, back, "the replies to must-pass flow \"" + mustPass.text() + "\"" + family
                            + " from " + mustPass.origin() + " (" + reply.get().text() + ") would be " + verdictWord(back)
                            + " by " + back.location() + ": " + back.text() + "; allow established connections"));
                }
            }
        }
        return out;
    }

    /**
     * {@code result} when it has no rule set or the rule set allows every must-pass flow; else the
     * same diagnostics plus the lockout errors, and no rule set: nothing downstream may put a
     * refused policy in force, whichever way it asks.
     */
    public CompileResult apply(CompileResult result) {
        if (result.ruleSet().isEmpty()) return result;
        var lockouts = check(result.ruleSet().get());
        if (lockouts.isEmpty()) return result;
        var all = new ArrayList<>(result.diagnostics());
        all.addAll(lockouts);
        return new CompileResult(result.sources(), result.files(), Optional.empty(), all,
                result.counts().plus(DiagnosticCounts.of(lockouts)));
    }

    private static String verdictWord(Decision d) {
        return d.verdict() == Verdict.DENY ? "denied" : "rejected";
    }

    /** At the deciding statement when it has a place in the policy, else at the flow text. */
    private static Diagnostic lockout(MustPassFlow mustPass, Decision decision, String message) {
        Span at = decision.rule().map(r -> r.origin().span()).filter(s -> s.line() > 0).orElse(mustPass.span());
        var d = Diagnostic.error(CODE, at, message);
        return at.equals(mustPass.span()) ? d : d.withRelated(mustPass.span(), "the must-pass flow");
    }

    /**
     * The packets that answer {@code flow}: conntrack marks them ESTABLISHED. ICMP answers only
     * echo requests (with an echo reply); other ICMP types get no reply to check.
     */
    static Optional<Flow> reply(Flow flow) {
        OptionalInt type = flow.icmpType();
        if (type.isPresent()) {
            int request = flow.family() == Family.V4 ? 8 : 128;
            if (type.getAsInt() != request) return Optional.empty();
            type = OptionalInt.of(flow.family() == Family.V4 ? 0 : 129);
        }
        var direction = flow.direction() == Direction.INBOUND ? Direction.OUTBOUND : Direction.INBOUND;
        boolean icmp = flow.protocol().map(Protocol::isIcmp).orElse(false);
        return Optional.of(new Flow(direction, flow.family(), flow.protocol(), flow.destination(),
                icmp ? OptionalInt.empty() : flow.destinationPort(), flow.source(),
                icmp ? OptionalInt.empty() : flow.sourcePort(), type, ConnState.ESTABLISHED, flow.loopback()));
    }
}
