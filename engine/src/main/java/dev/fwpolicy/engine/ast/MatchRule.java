package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;
import java.util.Optional;

/** {@code ACTION [PROTO] [from ADDRS [port PORTS]] [to [ADDRS] [port PORTS]] [type T] ["note"]}. */
public record MatchRule(
        Action action,
        Optional<ProtocolRef> protocol,
        Optional<Source> source,
        Optional<Destination> destination,
        Optional<IcmpTypeRef> icmpType,
        Optional<Note> note,
        Span span) implements RuleDecl {}
