package dev.fwpolicy.engine.iptables;

/**
 * A rule's packet and byte counters as {@code iptables-save -c} prints them ({@code [packets:bytes]}).
 * Never part of a rule's identity or drift: two copies of a rule with other counters are the same rule.
 */
public record Counters(long packets, long bytes) {
    public static final Counters ZERO = new Counters(0, 0);

    public Counters plus(Counters other) {
        return new Counters(packets + other.packets, bytes + other.bytes);
    }

    public Counters minus(Counters other) {
        return new Counters(packets - other.packets, bytes - other.bytes);
    }

    /** Either counter went down: the rule was rewritten or its counters zeroed since {@code earlier}. */
    public boolean below(Counters earlier) {
        return packets < earlier.packets || bytes < earlier.bytes;
    }
}
