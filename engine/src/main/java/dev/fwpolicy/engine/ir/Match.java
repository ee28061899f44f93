package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * What one compiled rule matches. Every field is a single iptables match (no sets): the
 * compiler has already expanded sets into one rule per CIDR and per multiport group.
 * Empty port lists mean any port; {@code loopbackInterface} is {@code -i lo} / {@code -o lo}.
 */
public record Match(
        Optional<Protocol> protocol,
        Optional<AddressMatch> source,
        Optional<AddressMatch> destination,
        List<PortRange> sourcePorts,
        List<PortRange> destinationPorts,
        Optional<Integer> icmpType,
        boolean established,
        boolean loopbackInterface) {

    public Match {
        sourcePorts = List.copyOf(sourcePorts);
        destinationPorts = List.copyOf(destinationPorts);
    }

    public static Match any() {
        return new Match(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                Optional.empty(), false, false);
    }

    public static Match loopback() {
        return new Match(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(),
                Optional.empty(), false, true);
    }
}
