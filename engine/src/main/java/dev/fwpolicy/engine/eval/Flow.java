package dev.fwpolicy.engine.eval;
import dev.fwpolicy.engine.vocabulary.ConnState;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.ast.Expectation;
import dev.fwpolicy.engine.ast.FlowDescription;
import dev.fwpolicy.engine.ast.FlowEndpoint;
import dev.fwpolicy.engine.ast.ProtocolRef;
import dev.fwpolicy.engine.check.FlowCheck;
import dev.fwpolicy.engine.diag.Diagnostic;
import dev.fwpolicy.engine.diag.Diagnostics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One packet to ask about: the first packet of a connection (NEW) unless said otherwise.
 *
 * <p>Fields may be unknown (empty) because a policy test may leave them out, e.g.
 * {@code expect allow inbound tcp to port 443}. An unknown field matches only rules that do
 * not constrain it: a rule saying {@code -s 10.0.0.0/8} (or {@code ! -s 10.0.0.0/8}) does
 * not match a flow whose source is unknown, so the answer never depends on a guess.
 *
 * @param loopback the packet crosses the loopback interface ({@code -i lo} inbound,
 *                 {@code -o lo} outbound); true for 127.0.0.0/8 and ::1 addresses or when
 *                 written as {@code via lo}
 */
public record Flow(
        Direction direction,
        Family family,
        Optional<Protocol> protocol,
        Optional<Address> source,
        OptionalInt sourcePort,
        Optional<Address> destination,
        OptionalInt destinationPort,
        OptionalInt icmpType,
        ConnState state,
        boolean loopback) {

    public Flow {
        source.ifPresent(a -> requireFamily(a, family));
        destination.ifPresent(a -> requireFamily(a, family));
        protocol.ifPresent(p -> {
            if (!p.families().contains(family))
                throw new IllegalArgumentException(p.keyword() + " cannot be carried by " + family.label());
            if (!p.hasPorts() && (sourcePort.isPresent() || destinationPort.isPresent()))
                throw new IllegalArgumentException(p.keyword() + " has no ports");
            if (p.hasPorts() && icmpType.isPresent())
                throw new IllegalArgumentException(p.keyword() + " has no icmp type");
        });
        if (protocol.isEmpty() && (sourcePort.isPresent() || destinationPort.isPresent() || icmpType.isPresent()))
            throw new IllegalArgumentException("ports and icmp types need a protocol");
        checkPort(sourcePort);
        checkPort(destinationPort);
        icmpType.ifPresent(t -> {
            if (t < 0 || t > 255) throw new IllegalArgumentException("icmp type out of range: " + t);
        });
    }

    /** A fully specified TCP/UDP/SCTP flow, the shape the kernel differential test sends. */
    public static Flow ports(Direction direction, Protocol protocol, Address source, int sourcePort,
                             Address destination, int destinationPort) {
        return new Flow(direction, source.family(), Optional.of(protocol), Optional.of(source),
                OptionalInt.of(sourcePort), Optional.of(destination), OptionalInt.of(destinationPort),
                OptionalInt.empty(), ConnState.NEW, isLoopback(source) || isLoopback(destination));
    }

    /** A fully specified ICMP or ICMPv6 flow. */
    public static Flow icmp(Direction direction, Address source, Address destination, int type) {
        var protocol = source.family() == Family.V4 ? Protocol.ICMP : Protocol.ICMPV6;
        return new Flow(direction, source.family(), Optional.of(protocol), Optional.of(source),
                OptionalInt.empty(), Optional.of(destination), OptionalInt.empty(), OptionalInt.of(type),
                ConnState.NEW, isLoopback(source) || isLoopback(destination));
    }

    public Flow withState(ConnState newState) {
        return new Flow(direction, family, protocol, source, sourcePort, destination, destinationPort, icmpType,
                newState, loopback);
    }

    /**
     * The same packet seen from the other built-in chain: a packet a host sends to itself
     * leaves through OUTPUT and comes back in through INPUT, addresses and ports unchanged.
     */
    public Flow reversedDirection() {
        var other = direction == Direction.INBOUND ? Direction.OUTBOUND : Direction.INBOUND;
        return new Flow(other, family, protocol, source, sourcePort, destination, destinationPort, icmpType, state, loopback);
    }

    public static boolean isLoopback(Address a) {
        if (a.family() == Family.V4) return (a.lo() >>> 24) == 127;
        return a.hi() == 0 && a.lo() == 1;
    }

    /**
     * Flow text in either spelling ({@code inbound tcp from 10.0.0.1 port 40000 to 10.0.0.2 port 443}
     * or {@code inbound tcp 10.0.0.1:40000 -> 10.0.0.2:443}), read and checked by the one flow
     * validator ({@link FlowCheck}) that {@code expect} lines go through too: the packet(s) it
     * describes, or none with the reasons in {@code diagnostics} (columns of {@code text}).
     */
    public static List<Flow> read(String file, String text, Diagnostics diagnostics) {
        return FlowCheck.read(file, text, diagnostics).map(Flow::of).orElse(List.of());
    }

    /**
     * One fully determined flow from text, for tests and benchmarks; the first diagnostic is
     * thrown as a {@link FlowSyntaxException} with its column.
     */
    public static Flow parse(String text) {
        var diagnostics = new Diagnostics();
        var flows = read("flow", text, diagnostics);
        if (diagnostics.hasErrors()) {
            var first = diagnostics.sorted().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
            throw new FlowSyntaxException(first.message() + " (column " + first.span().column() + ")",
                    first.span().column(), first.code());
        }
        if (flows.size() != 1) {
            throw new FlowSyntaxException("no address or protocol says whether the flow is IPv4 or IPv6 (column 1)", 1,
                    "family-unknown");
        }
        return flows.get(0);
    }

    /**
     * The packet(s) a checked description stands for: one per address family it may be in
     * (both when no address and no family-bound protocol fixes one). Unknown fields stay unknown.
     */
    public static List<Flow> of(FlowDescription d) {
        Optional<Protocol> protocol = d.protocol().map(ProtocolRef::protocol);
        Optional<Address> src = d.source().flatMap(FlowEndpoint::address);
        Optional<Address> dst = d.destination().flatMap(FlowEndpoint::address);
        Optional<Family> family = src.map(Address::family).or(() -> dst.map(Address::family));
        if (family.isEmpty() && protocol.isPresent() && protocol.get().families().size() == 1) {
            family = Optional.of(protocol.get().families().iterator().next());
        }
        List<Family> families = family.map(List::of).orElse(List.of(Family.V4, Family.V6));
        OptionalInt type = d.icmpType().flatMap(t -> protocol.flatMap(pr -> IcmpTypes.lookup(pr, t.text())))
                .map(OptionalInt::of).orElse(OptionalInt.empty());
        var state = d.state().orElse(ConnState.NEW);
        boolean loopback = d.viaLo() || src.map(Flow::isLoopback).orElse(false) || dst.map(Flow::isLoopback).orElse(false);
        var out = new ArrayList<Flow>();
        for (var f : families) {
            out.add(new Flow(d.direction(), f, protocol, src, port(d.source()), dst, port(d.destination()), type, state, loopback));
        }
        return out;
    }

    private static OptionalInt port(Optional<FlowEndpoint> ep) {
        return ep.flatMap(FlowEndpoint::port).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    /** The canonical text in the arrow spelling, readable by {@link #read} when every field is known. */
    public String text() {
        var sb = new StringBuilder(direction.keyword());
        sb.append(' ').append(protocol.map(Protocol::keyword).orElse("any"));
        sb.append(' ').append(endpointText(source, sourcePort));
        sb.append(" -> ").append(endpointText(destination, destinationPort));
        icmpType.ifPresent(t -> sb.append(" type ").append(IcmpTypes.name(protocol.orElseThrow(), t)));
        if (state == ConnState.ESTABLISHED) sb.append(" established");
        if (loopback && !source.map(Flow::isLoopback).orElse(false) && !destination.map(Flow::isLoopback).orElse(false))
            sb.append(" via lo");
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    private static String endpointText(Optional<Address> address, OptionalInt port) {
        String a = address.map(Address::text).orElse("*");
        if (port.isEmpty()) return a;
        boolean v6 = address.map(x -> x.family() == Family.V6).orElse(false);
        return (v6 ? "[" + a + "]" : a) + ":" + port.getAsInt();
    }

    private static void requireFamily(Address a, Family family) {
        if (a.family() != family) throw new IllegalArgumentException(a + " is not " + family.label());
    }

    private static void checkPort(OptionalInt port) {
        port.ifPresent(p -> {
            if (p < 0 || p > 65535) throw new IllegalArgumentException("port out of range: " + p);
        });
    }
}
