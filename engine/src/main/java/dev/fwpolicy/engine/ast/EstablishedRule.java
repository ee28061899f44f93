package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/** {@code allow established}: packets of connections conntrack already knows (ESTABLISHED, RELATED). */
public record EstablishedRule(Action action, Optional<Note> note, Span span) implements RuleDecl {}
