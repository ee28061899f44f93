package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/** {@code from ADDRS [port PORTS]}: the port here is the source port. */
public record Source(Addresses addresses, Optional<PortSet> ports, Span span) {}
