package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/** One rule as written. */
public sealed interface RuleDecl permits EstablishedRule, MatchRule {
    Action action();

    Optional<Note> note();

    Span span();
}
