package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** The author's quoted note on a rule, unescaped. Sanitised only when rendered. */
public record Note(String text, Span span) {}
