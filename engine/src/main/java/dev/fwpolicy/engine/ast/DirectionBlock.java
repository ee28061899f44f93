package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.vocabulary.Direction;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/** {@code inbound { … }} or {@code outbound { … }}: rules in the order they decide. */
public record DirectionBlock(Direction direction, List<RuleDecl> rules, Span span) implements PolicyItem {

    public DirectionBlock {
        rules = List.copyOf(rules);
    }
}
