package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.engine.vocabulary.Verdict;
import java.util.Optional;

/**
 * Why a compiled rule exists: the statement that produced it, so every answer about a
 * packet can name the file, line and column that decided it.
 *
 * @param kind    RULE (written by the author), DEFAULT (a {@code default} declaration, or the
 *                implicit allow when none is declared), LOOPBACK (the implicit first rule),
 *                DISPATCH (fwpolicy's jumps between its own chains and from INPUT/OUTPUT)
 * @param policy  the policy name; empty for rules that belong to no policy
 * @param span    where it was written; {@link Span#NONE} for implicit rules
 * @param text    the statement as written (one line, whitespace folded), or a description
 * @param note    the author's quoted note, if any
 * @param audited for a rule of an audited policy or an audited default: the verdict the statement
 *                would give if it were enforced. The kernel rule records it instead (a would-deny is
 *                counted and logged, then the packet goes on); empty for every enforced rule
 */
public record RuleOrigin(Kind kind, Optional<String> policy, Span span, String text, Optional<String> note,
                         Optional<Verdict> audited) {

    public enum Kind { RULE, DEFAULT, LOOPBACK, DISPATCH }

    /** An enforced rule's origin. */
    public RuleOrigin(Kind kind, Optional<String> policy, Span span, String text, Optional<String> note) {
        this(kind, policy, span, text, note, Optional.empty());
    }

    /** The rule every packet of a would-deny passes (not the rate-limited log beside it): what audit counts. */
    public boolean countsWouldDeny(Target target) {
        return audited.filter(v -> v != Verdict.ALLOW).isPresent() && !(target instanceof Target.AuditLog);
    }

    public static RuleOrigin implicit(Kind kind, String text) {
        return new RuleOrigin(kind, Optional.empty(), Span.NONE, text, Optional.empty());
    }
}
