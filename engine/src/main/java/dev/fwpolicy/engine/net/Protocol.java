package dev.fwpolicy.engine.net;

import java.util.Optional;
import java.util.Set;

/** Transport protocols a rule may name. */
public enum Protocol {
    TCP("tcp", true, Set.of(Family.V4, Family.V6)),
    UDP("udp", true, Set.of(Family.V4, Family.V6)),
    SCTP("sctp", true, Set.of(Family.V4, Family.V6)),
    ICMP("icmp", false, Set.of(Family.V4)),
    ICMPV6("icmpv6", false, Set.of(Family.V6));

    private final String keyword;
    private final boolean hasPorts;
    private final Set<Family> families;

    Protocol(String keyword, boolean hasPorts, Set<Family> families) {
        this.keyword = keyword;
        this.hasPorts = hasPorts;
        this.families = families;
    }

    public boolean hasPorts() {
        return hasPorts;
    }

    public Set<Family> families() {
        return families;
    }

    /** The keyword as written in .fwpolicy files. */
    public String keyword() {
        return keyword;
    }

    public boolean isIcmp() {
        return this == ICMP || this == ICMPV6;
    }

    public static Optional<Protocol> ofKeyword(String keyword) {
        for (var p : values()) if (p.keyword().equals(keyword)) return Optional.of(p);
        return Optional.empty();
    }
}
