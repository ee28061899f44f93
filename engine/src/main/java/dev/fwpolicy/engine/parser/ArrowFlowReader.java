package dev.fwpolicy.engine.parser;

import dev.fwpolicy.engine.ast.FlowDescription;
import dev.fwpolicy.engine.ast.FlowEndpoint;
import dev.fwpolicy.engine.ast.IcmpTypeRef;
import dev.fwpolicy.engine.ast.ProtocolRef;
import dev.fwpolicy.engine.diag.Diagnostics;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Protocol;
import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arrow spelling of a flow, {@code DIRECTION PROTO SRC[:PORT] -> DST[:PORT] [type T]
 * [established|new] [via lo]} (IPv6 with a port in brackets, {@code [2001:db8::1]:53}). It only
 * reads words; what the words mean together is checked by {@code FlowCheck}, as for every flow.
 * The first problem stops the reading: it is reported as a diagnostic at its column.
 */
final class ArrowFlowReader {
    private final String file;
    private final String text;
    private final List<int[]> spans;
    private int index;

    private ArrowFlowReader(String file, String text) {
        this.file = file;
        this.text = text;
        this.spans = split(text);
    }

    /** The first problem in the text, thrown only inside this class. */
    private static final class Stop extends RuntimeException {
        final String code;
        final Span span;

        Stop(String code, Span span, String message) {
            super(message, null, false, false);
            this.code = code;
            this.span = span;
        }
    }

    static Optional<FlowDescription> read(String file, String text, Diagnostics diagnostics) {
        var reader = new ArrowFlowReader(file, text);
        try {
            return Optional.of(reader.flow());
        } catch (Stop stop) {
            diagnostics.error(stop.code, stop.span, stop.getMessage());
            return Optional.empty();
        }
    }

    private FlowDescription flow() {
        String dirWord = next("a direction (inbound or outbound)");
        Direction direction = switch (dirWord) {
            case "inbound", "in" -> Direction.INBOUND;
            case "outbound", "out" -> Direction.OUTBOUND;
            default -> throw stop("syntax", "expected inbound or outbound, found '" + dirWord + "'");
        };
        String protoWord = next("a protocol (tcp, udp, sctp, icmp, icmpv6)");
        Protocol protocol = Protocol.ofKeyword(protoWord.equals("ipv6-icmp") ? "icmpv6" : protoWord)
                .orElseThrow(() -> stop("syntax", "unknown protocol '" + protoWord + "'"));
        var protocolRef = new ProtocolRef(protocol, wordSpan());
        FlowEndpoint src = endpoint("a source address");
        String arrow = next("'->'");
        if (!arrow.equals("->")) throw stop("syntax", "expected '->' between source and destination, found '" + arrow + "'");
        FlowEndpoint dst = endpoint("a destination address");
        Optional<IcmpTypeRef> type = Optional.empty();
        Optional<ConnState> state = Optional.empty();
        boolean viaLo = false;
        while (index < spans.size()) {
            switch (next("")) {
                case "type" -> {
                    String t = next("an icmp type");
                    type = Optional.of(new IcmpTypeRef(t, wordSpan()));
                }
                case "established" -> state = Optional.of(ConnState.ESTABLISHED);
                case "new" -> state = Optional.of(ConnState.NEW);
                case "via" -> {
                    String dev = next("an interface");
                    if (!dev.equals("lo")) throw stop("syntax", "only 'via lo' is modelled, found '" + dev + "'");
                    viaLo = true;
                }
                default -> throw stop("syntax", "unexpected '" + word() + "'");
            }
        }
        return new FlowDescription(direction, Optional.of(protocolRef), Optional.of(src), Optional.of(dst), type, state,
                viaLo, new Span(file, 1, 1, 1, text.length() + 1));
    }

    private FlowEndpoint endpoint(String what) {
        String word = next(what);
        Span span = wordSpan();
        String addr = word;
        String port = null;
        if (word.startsWith("[")) {
            int close = word.indexOf(']');
            if (close < 0) throw stop("syntax", "missing ']' in '" + word + "'");
            addr = word.substring(1, close);
            String rest = word.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw stop("syntax", "expected ':PORT' after ']' in '" + word + "'");
                port = rest.substring(1);
            }
        } else if (word.indexOf(':') >= 0 && word.indexOf(':') == word.lastIndexOf(':')) {
            // Exactly one colon: IPv4 with a port. Several colons: a bare IPv6 address, no port.
            addr = word.substring(0, word.indexOf(':'));
            port = word.substring(word.indexOf(':') + 1);
        }
        var address = Address.parse(addr);
        if (address.isEmpty()) throw stop("invalid-address", "not an IP address: '" + addr + "' (names are never resolved)");
        Optional<Integer> p = Optional.empty();
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit))
                throw stop("invalid-port", "not a port: '" + port + "'");
            int n = Integer.parseInt(port);
            if (n > 65535) throw stop("invalid-port", "port " + n + " is out of range (0-65535)");
            p = Optional.of(n);
        }
        return new FlowEndpoint(address, Optional.of(addr), p, span);
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

    private String next(String what) {
        if (index >= spans.size()) {
            throw new Stop("syntax", Span.point(file, 1, text.length() + 1), "expected " + what + " at the end of the flow");
        }
        index++;
        return word();
    }

    private String word() {
        var s = spans.get(index - 1);
        return text.substring(s[0], s[1]);
    }

    private Span wordSpan() {
        var s = spans.get(index - 1);
        return new Span(file, 1, s[0] + 1, 1, s[1] + 1);
    }

    private Stop stop(String code, String message) {
        return new Stop(code, index == 0 ? Span.point(file, 1, 1) : wordSpan(), message);
    }
}
