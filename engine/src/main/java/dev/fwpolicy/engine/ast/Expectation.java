package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.vocabulary.Direction;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.vocabulary.ConnState;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/**
 * {@code expect VERDICT DIRECTION [PROTO] [from ADDR [port N]] [to [ADDR] [port N]] [type T]
 * [established|new] ["note"]}: one packet and the verdict it must get.
 */
public record Expectation(
        Verdict verdict,
        Direction direction,
        Optional<ProtocolRef> protocol,
        Optional<FlowEndpoint> source,
        Optional<FlowEndpoint> destination,
        Optional<IcmpTypeRef> icmpType,
        Optional<ConnState> state,
        Optional<Note> note,
        Span span) {

    public enum ConnState { NEW, ESTABLISHED }

    public static Expectation of(Verdict verdict, FlowDescription flow, Optional<Note> note, Span span) {
        return new Expectation(verdict, flow.direction(), flow.protocol(), flow.source(), flow.destination(),
                flow.icmpType(), flow.state(), note, span);
    }

    /** The packet this line is about, checked and evaluated like any other flow. */
    public FlowDescription flow() {
        return new FlowDescription(direction, protocol, source, destination, icmpType, state, false, span);
    }
}
