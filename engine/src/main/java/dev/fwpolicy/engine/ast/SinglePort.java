package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/** One port member without braces. */
public record SinglePort(PortMember member, Span span) implements PortSet {

    public List<PortMember> members() {
        return List.of(member);
    }
}
