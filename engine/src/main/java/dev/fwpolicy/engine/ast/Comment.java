package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** A {@code #} comment, kept so that {@code fwpolicy fmt} never loses one. */
public record Comment(String text, Span span) {}
