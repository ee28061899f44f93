package dev.fwpolicy.engine.compare;

/** An inclusive range of ICMP / ICMPv6 types. */
public record TypeRange(int from, int to) {

    public TypeRange {
        if (from < 0 || to > 255 || from > to) throw new IllegalArgumentException("bad icmp type range " + from + "-" + to);
    }

    public boolean contains(int type) {
        return type >= from && type <= to;
    }

    /** {@code 8} or {@code 0-7}. */
    public String text() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
