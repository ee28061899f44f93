package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/** {@code { 80, 443, 8000-8100, $web }}. */
public record PortList(List<PortMember> members, Span span) implements PortSet {

    public PortList {
        members = List.copyOf(members);
    }
}
