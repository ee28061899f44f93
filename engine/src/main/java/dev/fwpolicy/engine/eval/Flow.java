package dev.fwpolicy.engine.eval;
import dev.fwpolicy.engine.vocabulary.ConnState;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.Protocol;
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
     * Parses {@code inbound tcp 192.168.10.7:40000 -> 10.0.0.2:443}, {@code outbound udp
     * [2001:db8::1]:5353 -> [2001:db8::2]:53}, {@code inbound icmp 1.2.3.4 -> 10.0.0.2 type
     * echo-request}, with optional trailing {@code established} / {@code new} and
     * {@code via lo}. A bare IPv6 address without brackets has no port.
     */
    public static Flow parse(String text) {
        var w = new Words(text);
        String dirWord = w.next("a direction (inbound or outbound)");
        Direction direction = switch (dirWord) {
            case "inbound", "in" -> Direction.INBOUND;
            case "outbound", "out" -> Direction.OUTBOUND;
            default -> throw w.error("expected inbound or outbound, found '" + dirWord + "'");
        };
        String protoWord = w.next("a protocol (tcp, udp, sctp, icmp, icmpv6)");
        Protocol written = Protocol.ofKeyword(protoWord.equals("ipv6-icmp") ? "icmpv6" : protoWord)
                .orElseThrow(() -> w.error("unknown protocol '" + protoWord + "'"));
        Endpoint src = endpoint(w, "a source address");
        String arrow = w.next("'->'");
        if (!arrow.equals("->")) throw w.error("expected '->' between source and destination, found '" + arrow + "'");
        Endpoint dst = endpoint(w, "a destination address");
        String typeWord = null;
        int typeColumn = 0;
        ConnState state = ConnState.NEW;
        boolean viaLo = false;
        while (w.hasNext()) {
            String word = w.next("");
            switch (word) {
                case "type" -> {
                    typeWord = w.next("an icmp type");
                    if (!written.isIcmp()) throw w.error("'type' is only for icmp and icmpv6");
                    typeColumn = w.column();
                }
                case "established" -> state = ConnState.ESTABLISHED;
                case "new" -> state = ConnState.NEW;
                case "via" -> {
                    String dev = w.next("an interface");
                    if (!dev.equals("lo")) throw w.error("only 'via lo' is modelled, found '" + dev + "'");
                    viaLo = true;
                }
                default -> throw w.error("unexpected '" + word + "'");
            }
        }
        if (src.address.family() != dst.address.family())
            throw new FlowSyntaxException("source and destination are of different address families", 1);
        Family family = src.address.family();
        Protocol protocol = written;
        if (!protocol.families().contains(family)) {
            // "icmp" with IPv6 addresses is what people type; the kernel protocol is ICMPv6.
            if (protocol == Protocol.ICMP && family == Family.V6) protocol = Protocol.ICMPV6;
            else throw new FlowSyntaxException(protocol.keyword() + " cannot be carried by " + family.label(), 1);
        }
        if (protocol.hasPorts() && (src.port.isEmpty() || dst.port.isEmpty()))
            throw new FlowSyntaxException(protocol.keyword() + " flows need a source and a destination port", 1);
        if (!protocol.hasPorts() && (src.port.isPresent() || dst.port.isPresent()))
            throw new FlowSyntaxException(protocol.keyword() + " has no ports", 1);
        OptionalInt icmpType = OptionalInt.empty();
        if (typeWord != null) {
            var type = IcmpTypes.lookup(protocol, typeWord);
            if (type.isEmpty())
                throw new FlowSyntaxException("unknown " + protocol.keyword() + " type '" + typeWord + "' (column "
                        + typeColumn + ")", typeColumn);
            icmpType = OptionalInt.of(type.get());
        }
        if (protocol.isIcmp() && icmpType.isEmpty())
            throw new FlowSyntaxException(protocol.keyword() + " flows need 'type T' (e.g. type echo-request)", 1);
        return new Flow(direction, family, Optional.of(protocol), Optional.of(src.address), src.port,
                Optional.of(dst.address), dst.port, icmpType, state,
                viaLo || isLoopback(src.address) || isLoopback(dst.address));
    }

    /** The canonical text, parseable by {@link #parse} when every field is known. */
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

    private record Endpoint(Address address, OptionalInt port) {}

    private static Endpoint endpoint(Words w, String what) {
        String word = w.next(what);
        String addr = word;
        String port = null;
        if (word.startsWith("[")) {
            int close = word.indexOf(']');
            if (close < 0) throw w.error("missing ']' in '" + word + "'");
            addr = word.substring(1, close);
            String rest = word.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw w.error("expected ':PORT' after ']' in '" + word + "'");
                port = rest.substring(1);
            }
        } else if (word.indexOf(':') == word.lastIndexOf(':') && word.indexOf(':') >= 0) {
            // Exactly one colon: IPv4 with a port. Several colons: a bare IPv6 address.
            addr = word.substring(0, word.indexOf(':'));
            port = word.substring(word.indexOf(':') + 1);
        }
        var address = Address.parse(addr);
        if (address.isEmpty()) throw w.error("not an IP address: '" + addr + "' (names are never resolved)");
        OptionalInt p = OptionalInt.empty();
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit))
                throw w.error("not a port: '" + port + "'");
            int n = Integer.parseInt(port);
            if (n > 65535) throw w.error("port out of range: " + n);
            p = OptionalInt.of(n);
        }
        return new Endpoint(address.get(), p);
    }

    /** Whitespace-separated words with their 1-based columns, for precise errors. */
    private static final class Words {
        private final List<int[]> spans;
        private final String text;
        private int index;

        Words(String text) {
            this.text = text;
            this.spans = split(text);
        }

        private static List<int[]> split(String text) {
            var out = new ArrayList<int[]>();
            int i = 0;
            while (i < text.length()) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i))) i++;
                if (i > start) out.add(new int[] {start, i});
            }
            return out;
        }

        boolean hasNext() {
            return index < spans.size();
        }

        String next(String what) {
            if (!hasNext()) throw new FlowSyntaxException("expected " + what + " at the end of the flow", text.length() + 1);
            var s = spans.get(index++);
            return text.substring(s[0], s[1]);
        }

        int column() {
            return index == 0 ? 1 : spans.get(index - 1)[0] + 1;
        }

        FlowSyntaxException error(String message) {
            int col = index == 0 ? 1 : spans.get(index - 1)[0] + 1;
            return new FlowSyntaxException(message + " (column " + col + ")", col);
        }
    }
}
