package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/** One end of an expected packet: an address, a port, or both; {@code text} as written. */
public record FlowEndpoint(Optional<Address> address, Optional<String> addressText, Optional<Integer> port, Span span) {}
