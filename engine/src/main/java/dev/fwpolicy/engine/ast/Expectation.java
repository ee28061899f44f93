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
}
