package dev.fwpolicy.engine.netpol;

import dev.fwpolicy.engine.net.Protocol;
import java.util.Optional;

/** One {@code ports[]} entry: no port means every port of the protocol; {@code endPort} makes a range. */
public record PolicyPort(Protocol protocol, Optional<PortRef> port, Optional<Integer> endPort) {}
