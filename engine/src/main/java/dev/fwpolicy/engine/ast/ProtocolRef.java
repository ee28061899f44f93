package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.Span;

public record ProtocolRef(Protocol protocol, Span span) {}
