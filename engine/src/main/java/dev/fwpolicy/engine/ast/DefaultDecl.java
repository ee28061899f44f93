package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;

import dev.fwpolicy.engine.source.Span;

/**
 * {@code default inbound deny [audit]}: the verdict when no rule of that direction decides.
 *
 * @param audit the deny or reject is recorded (counted, logged) and the packet accepted
 */
public record DefaultDecl(Direction direction, Verdict verdict, boolean audit, Span span) implements PolicyItem {}
