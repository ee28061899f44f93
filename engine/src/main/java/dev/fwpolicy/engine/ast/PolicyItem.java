package dev.fwpolicy.engine.ast;


import dev.fwpolicy.engine.source.Span;

/** What a policy body holds. */
public sealed interface PolicyItem permits DefaultDecl, AddressSetDecl, DynamicSetDecl, PortSetDecl, DirectionBlock, KernelSetsDecl {
    Span span();
}
