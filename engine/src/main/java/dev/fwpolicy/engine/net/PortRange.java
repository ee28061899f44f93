package dev.fwpolicy.engine.net;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** An inclusive port range; a single port has {@code from == to}. */
public record PortRange(int from, int to) implements Comparable<PortRange> {

    public static final int MAX = 65535;

    public PortRange {
        if (from < 0 || to > MAX || from > to) throw new IllegalArgumentException("bad port range " + from + "-" + to);
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    public boolean contains(PortRange other) {
        return other.from >= from && other.to <= to;
    }

    public boolean isSingle() {
        return from == to;
    }

    /** .fwpolicy spelling: {@code 80} or {@code 8000-8100}. */
    public String source() {
        return isSingle() ? Integer.toString(from) : from + "-" + to;
    }

    /** Entries this range takes in a multiport list (a range counts as two). */
    public int multiportCost() {
        return isSingle() ? 1 : 2;
    }

    @Override
    public int compareTo(PortRange o) {
        return from != o.from ? Integer.compare(from, o.from) : Integer.compare(to, o.to);
    }

    /** Sorted, with overlapping and adjacent ranges merged: the canonical form of a port set. */
    public static List<PortRange> normalize(List<PortRange> ranges) {
        var sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.naturalOrder());
        var out = new ArrayList<PortRange>();
        for (var r : sorted) {
            if (!out.isEmpty() && r.from <= out.get(out.size() - 1).to + 1) {
                var last = out.remove(out.size() - 1);
                out.add(new PortRange(last.from, Math.max(last.to, r.to)));
            } else {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /** True when every port of {@code inner} is in {@code outer}; an empty list means any port. */
    public static boolean covers(List<PortRange> outer, List<PortRange> inner) {
        if (outer.isEmpty()) return true;
        if (inner.isEmpty()) return outer.size() == 1 && outer.get(0).from == 0 && outer.get(0).to == MAX;
        return inner.stream().allMatch(i -> outer.stream().anyMatch(o -> o.contains(i)));
    }
}
