package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

public sealed interface PortMember permits PortLiteral, PortReference {
    Span span();
}
