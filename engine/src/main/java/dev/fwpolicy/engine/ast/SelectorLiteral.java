package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.cluster.LabelSelector;
import dev.fwpolicy.engine.source.Span;

/**
 * A quoted label selector: {@code text} is what stands between the quotes, taken
 * literally (no escapes: a selector needs neither quotes nor backslashes), {@code selector}
 * what it means. A selector that did not parse was reported and reads as selecting
 * everything, so that the rest of the file is still checked.
 */
public record SelectorLiteral(String text, LabelSelector selector, Span span) {}
