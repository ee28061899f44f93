package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.net.Family;

/**
 * The dimensions of a packet the partition splits, in the order it splits them: the ones
 * with few values first, so the upper levels of the partition branch little and the many
 * address intervals are only cut inside the few (protocol, state, port) classes that need them.
 * Direction and family are not dimensions: each (direction, family) walks its own chains.
 */
enum Dim {
    /** 1 when the packet crosses the loopback interface. */
    LOOPBACK,
    /** See {@link ProtocolClass#code}. */
    PROTOCOL,
    /** 1 for RELATED/ESTABLISHED, 0 for every other conntrack state. */
    STATE,
    ICMP_TYPE,
    DESTINATION_PORT,
    SOURCE_PORT,
    DESTINATION,
    SOURCE;

    static final Dim[] ALL = values();
    static final int COUNT = ALL.length;

    /** The largest value of the dimension, as {@code {hi, lo}}. */
    long[] max(Family family) {
        return switch (this) {
            case LOOPBACK, STATE -> new long[] {0, 1};
            case PROTOCOL -> new long[] {0, ProtocolClass.CODES - 1};
            case ICMP_TYPE -> new long[] {0, 255};
            case DESTINATION_PORT, SOURCE_PORT -> new long[] {0, 65535};
            case DESTINATION, SOURCE -> family == Family.V4 ? new long[] {0, 0xFFFF_FFFFL} : new long[] {-1L, -1L};
        };
    }
}
