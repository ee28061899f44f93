package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** An identifier as written (policy, set or port-set name). */
public record Name(String text, Span span) {}
