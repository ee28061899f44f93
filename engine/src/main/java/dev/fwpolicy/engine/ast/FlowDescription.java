package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import dev.fwpolicy.engine.vocabulary.Direction;
import java.util.Optional;

/**
 * One packet as written, before it is checked: the flow part of an {@code expect} line, or an
 * {@code eval --flow} / HTTP flow in either of its spellings. Every field but the direction may
 * be left out; {@code engine.check.FlowCheck} says whether the whole is a possible packet.
 *
 * @param viaLo written as {@code via lo} (only the arrow spelling has it; loopback addresses
 *              imply it anyway)
 */
public record FlowDescription(
        Direction direction,
        Optional<ProtocolRef> protocol,
        Optional<FlowEndpoint> source,
        Optional<FlowEndpoint> destination,
        Optional<IcmpTypeRef> icmpType,
        Optional<Expectation.ConnState> state,
        boolean viaLo,
        Span span) {}
