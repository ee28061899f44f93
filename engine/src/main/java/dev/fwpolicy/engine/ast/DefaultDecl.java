package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;

import dev.fwpolicy.engine.source.Span;

/** {@code default inbound deny}: the verdict when no rule of that direction decides. */
public record DefaultDecl(Direction direction, Verdict verdict, Span span) implements PolicyItem {}
