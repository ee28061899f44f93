package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/** {@code to ADDRS [port PORTS]}, {@code to port PORTS} or {@code port PORTS}. At least one is present. */
public record Destination(Optional<Addresses> addresses, Optional<PortSet> ports, Span span) {}
