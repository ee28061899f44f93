package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import java.util.Optional;

/**
 * The protocol of a class of packets: one protocol rules can name, every other protocol
 * number at once ({@code OTHER}: GRE, ESP, ICMP inside IPv6, …, which only rules naming no
 * protocol match), or {@code ANY}.
 */
public enum ProtocolClass {
    ANY("any", Optional.empty()),
    TCP("tcp", Optional.of(Protocol.TCP)),
    UDP("udp", Optional.of(Protocol.UDP)),
    SCTP("sctp", Optional.of(Protocol.SCTP)),
    ICMP("icmp", Optional.of(Protocol.ICMP)),
    ICMPV6("icmpv6", Optional.of(Protocol.ICMPV6)),
    OTHER("other", Optional.empty());

    /** Codes 0..CODES-1 in the partition: tcp, udp, sctp, the family's ICMP, other. */
    static final int CODES = 5;
    static final int ICMP_CODE = 3;
    static final int OTHER_CODE = 4;

    private final String keyword;
    private final Optional<Protocol> protocol;

    ProtocolClass(String keyword, Optional<Protocol> protocol) {
        this.keyword = keyword;
        this.protocol = protocol;
    }

    public String keyword() {
        return keyword;
    }

    /** The protocol a flow carries: empty for {@code OTHER} (the evaluator's "no protocol rule names"). */
    public Optional<Protocol> protocol() {
        return protocol;
    }

    public boolean hasPorts() {
        return protocol.map(Protocol::hasPorts).orElse(this == ANY);
    }

    public boolean isIcmp() {
        return protocol.map(Protocol::isIcmp).orElse(false);
    }

    /** The partition's code of a protocol a rule names in {@code family}; -1 when that family cannot carry it. */
    static int code(Protocol p, Family family) {
        if (!p.families().contains(family)) return -1;
        return switch (p) {
            case TCP -> 0;
            case UDP -> 1;
            case SCTP -> 2;
            case ICMP, ICMPV6 -> ICMP_CODE;
        };
    }

    static ProtocolClass ofCode(int code, Family family) {
        return switch (code) {
            case 0 -> TCP;
            case 1 -> UDP;
            case 2 -> SCTP;
            case ICMP_CODE -> family == Family.V4 ? ICMP : ICMPV6;
            default -> OTHER;
        };
    }
}
