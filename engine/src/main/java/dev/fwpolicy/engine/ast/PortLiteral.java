package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.source.Span;

/** {@code 443} or {@code 8000-8100}, already range-checked by the builder. */
public record PortLiteral(PortRange range, String text, Span span) implements PortMember {}
