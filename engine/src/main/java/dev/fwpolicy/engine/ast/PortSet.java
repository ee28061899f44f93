package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.List;

/** A braced list of ports or a single member. */
public sealed interface PortSet permits PortList, SinglePort {
    List<PortMember> members();

    Span span();
}
