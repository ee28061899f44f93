package dev.fwpolicy.engine.compare;

import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.IcmpTypes;
import dev.fwpolicy.engine.net.PortRange;
import java.util.List;
import java.util.Locale;

/**
 * A change as a person reads it:
 * <pre>
 * closed  inbound ipv4 tcp from 10.128.0.0/9 to any port 443  (new, not via lo)
 *   before: allow by old/web.fwpolicy:5:5: allow tcp from 10.0.0.0/8 to port 443
 *   after:  deny by new/web.fwpolicy:2:3: default inbound deny
 * </pre>
 */
public final class ChangeText {
    private ChangeText() {}

    public static String describe(Change c) {
        return kind(c) + "  " + packets(c.packets()) + "\n"
                + "  before: " + outcome(c.before()) + "\n"
                + "  after:  " + outcome(c.after()) + "\n";
    }

    /** {@code opened}, {@code closed}, or {@code changed} (deny and reject swapped: closed either way). */
    public static String kind(Change c) {
        return c.opens() ? "opened" : c.closes() ? "closed" : "changed";
    }

    public static String packets(PacketClass p) {
        var sb = new StringBuilder();
        sb.append(p.direction().keyword()).append(' ').append(p.family().label()).append(' ').append(p.protocol().keyword());
        sb.append(" from ").append(networks(p.sources()));
        if (p.protocol().hasPorts()) sb.append(ports(p.sourcePorts()));
        sb.append(" to ").append(networks(p.destinations()));
        if (p.protocol().hasPorts()) sb.append(ports(p.destinationPorts()));
        if (p.protocol().isIcmp() && !(p.icmpTypes().size() == 1 && p.icmpTypes().get(0).equals(new TypeRange(0, 255)))) {
            var protocol = p.protocol().protocol().orElseThrow();
            sb.append(" type ").append(String.join(", ", p.icmpTypes().stream()
                    .map(t -> t.from() == t.to() ? IcmpTypes.name(protocol, t.from()) : t.text()).toList()));
        }
        var notes = new java.util.ArrayList<String>();
        p.state().ifPresent(s -> notes.add(s.keyword()));
        p.loopback().ifPresent(lo -> notes.add(lo ? "via lo" : "not via lo"));
        if (!notes.isEmpty()) sb.append("  (").append(String.join(", ", notes)).append(')');
        return sb.toString();
    }

    private static String networks(List<Cidr> networks) {
        if (networks.size() == 1 && networks.get(0).isAll()) return "any";
        return String.join(", ", networks.stream().map(Cidr::withPrefix).toList());
    }

    private static String ports(List<PortRange> ports) {
        if (ports.size() == 1 && ports.get(0).from() == 0 && ports.get(0).to() == PortRange.MAX) return "";
        return " port " + String.join(", ", ports.stream().map(PortRange::source).toList());
    }

    private static String outcome(Outcome o) {
        var sb = new StringBuilder(o.verdict().keyword()).append(" by ").append(o.location()).append(": ").append(o.text());
        o.rule().flatMap(r -> r.origin().policy()).ifPresent(p -> sb.append("  [policy ").append(p).append(']'));
        return sb.toString();
    }

    /** {@code 3 changes: 1 opened, 2 closed}, or that there is none. */
    public static String summary(List<Change> changes) {
        if (changes.isEmpty()) return "no change: both decide every packet alike";
        long opened = changes.stream().filter(Change::opens).count();
        long closed = changes.stream().filter(Change::closes).count();
        long other = changes.size() - opened - closed;
        String s = String.format(Locale.ROOT, "%d change%s: %d opened, %d closed", changes.size(),
                changes.size() == 1 ? "" : "s", opened, closed);
        return other > 0 ? s + ", " + other + " deny/reject swapped" : s;
    }
}
