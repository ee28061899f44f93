package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** {@code type echo-request} or {@code type 8}; resolved against the rule's protocol by the checker. */
public record IcmpTypeRef(String text, Span span) {}
