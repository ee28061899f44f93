package dev.fwpolicy.engine.ir;

import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.List;
import java.util.Optional;

/**
 * What one compiled rule matches. Every field is one condition on the packet: the compiler has
 * already expanded inline lists into one rule per network and per port group (a long declared
 * set is one {@link NetworkSet} match instead). Empty port lists mean any port;
 * {@code loopbackInterface}: the packet enters (inbound) or leaves (outbound) on loopback.
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
