package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/** A top-level declaration: a policy or a test block. */
public sealed interface Declaration permits PolicyDecl, TestDecl {
    Name name();

    Span span();
}
