package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.engine.vocabulary.ConnState;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.Optional;

/**
 * One packet as written, before it is checked: the flow part of an {@code expect} line, or an
 * {@code eval --flow} / HTTP flow in either of its spellings. Every field but the direction may
 * be left out; {@code engine.check.FlowCheck} says whether the whole is a possible packet.
 *
 * @param viaLo written as {@code via lo} (loopback addresses imply it anyway)
 */
public record FlowDescription(
        Direction direction,
        Optional<ProtocolRef> protocol,
        Optional<FlowEndpoint> source,
        Optional<FlowEndpoint> destination,
        Optional<IcmpTypeRef> icmpType,
        Optional<ConnState> state,
        boolean viaLo,
        Span span) {

    /**
     * The flow in the expect-line words ({@code inbound tcp from 10.0.0.1 to port 443 via lo}),
     * which every flow input reads back: how {@code fmt} and test reports write it.
     */
    public String words() {
        var sb = new StringBuilder(direction.keyword());
        protocol.ifPresent(p -> sb.append(' ').append(p.protocol().keyword()));
        source.ifPresent(s -> endpoint(sb, "from", s));
        destination.ifPresent(d -> endpoint(sb, "to", d));
        icmpType.ifPresent(t -> sb.append(" type ").append(t.text()));
        state.ifPresent(s -> sb.append(' ').append(s.keyword()));
        if (viaLo) sb.append(" via lo");
        return sb.toString();
    }

    private static void endpoint(StringBuilder sb, String word, FlowEndpoint ep) {
        sb.append(' ').append(word);
        ep.address().ifPresent(a -> sb.append(' ').append(ep.addressText().orElse(a.text())));
        ep.port().ifPresent(p -> sb.append(" port ").append(p));
    }
}
