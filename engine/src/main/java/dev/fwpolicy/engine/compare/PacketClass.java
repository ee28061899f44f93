package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.eval.Flow;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A set of packets as a product of ranges: every packet of the direction and family whose
 * fields lie in all the lists. A list holds the field's values among the class's packets that
 * have the field (ports for tcp/udp/sctp, types for ICMP) and is empty when none has it.
 *
 * @param state    empty: any conntrack state; NEW stands for every state but RELATED/ESTABLISHED
 * @param loopback empty: crossing the loopback interface or not
 */
public record PacketClass(Direction direction, Family family, ProtocolClass protocol, List<Cidr> sources,
                          List<PortRange> sourcePorts, List<Cidr> destinations, List<PortRange> destinationPorts,
                          List<TypeRange> icmpTypes, Optional<ConnState> state, Optional<Boolean> loopback) {

    public PacketClass {
        sources = List.copyOf(sources);
        sourcePorts = List.copyOf(sourcePorts);
        destinations = List.copyOf(destinations);
        destinationPorts = List.copyOf(destinationPorts);
        icmpTypes = List.copyOf(icmpTypes);
    }

    /** True when the fully specified packet {@code flow} is one of this class. */
    public boolean contains(Flow flow) {
        if (flow.direction() != direction || flow.family() != family) return false;
        if (protocol != ProtocolClass.ANY && !flow.protocol().equals(protocol.protocol())) return false;
        if (state.isPresent() && flow.state() != state.get()) return false;
        if (loopback.isPresent() && flow.loopback() != loopback.get()) return false;
        if (!in(sources, flow.source()) || !in(destinations, flow.destination())) return false;
        if (!inPorts(sourcePorts, flow.sourcePort()) || !inPorts(destinationPorts, flow.destinationPort())) return false;
        return flow.icmpType().isEmpty() || icmpTypes.stream().anyMatch(t -> t.contains(flow.icmpType().getAsInt()));
    }

    private static boolean in(List<Cidr> networks, Optional<Address> address) {
        return address.isPresent() && networks.stream().anyMatch(c -> c.contains(address.get()));
    }

    private static boolean inPorts(List<PortRange> ports, OptionalInt port) {
        return port.isEmpty() || ports.stream().anyMatch(p -> p.contains(port.getAsInt()));
    }
}
