package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Address;
import dev.fwpolicy.engine.net.Cidr;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;

/**
 * How iptables spells the IR's values, exactly as {@code iptables-save} (1.8, both backends)
 * prints them back: a rendering that differs from the print would be "repaired" on every sync.
 */
public final class IptablesText {
    private IptablesText() {}

    /** The {@code -p} name: {@code tcp}, {@code udp}, {@code sctp}, {@code icmp}, {@code ipv6-icmp}. */
    public static String protocol(Protocol p) {
        return switch (p) {
            case TCP -> "tcp";
            case UDP -> "udp";
            case SCTP -> "sctp";
            case ICMP -> "icmp";
            case ICMPV6 -> "ipv6-icmp";
        };
    }

    /** {@code 80} or {@code 8000:8100}. */
    public static String port(PortRange r) {
        return r.isSingle() ? Integer.toString(r.from()) : r.from() + ":" + r.to();
    }

    /** Always with a prefix length, e.g. {@code 10.0.0.1/32}, the address as inet_ntop prints it. */
    public static String cidr(Cidr c) {
        return address(c.address()) + "/" + c.prefix();
    }

    /** {@code -s CIDR}, {@code ! -s CIDR} (or {@code -d}). */
    public static String addressMatch(String flag, AddressMatch a) {
        if (a.set().isPresent()) throw new IllegalStateException("a kernel set match has no " + flag + " form: " + a.set().get().name());
        return (a.negated() ? "! " : "") + flag + " " + cidr(a.cidr());
    }

    /** The text after {@code -j} in a rule of {@code family}. */
    public static String target(Target t, Family family) {
        if (t instanceof Target.Accept) return "ACCEPT";
        if (t instanceof Target.Drop) return "DROP";
        if (t instanceof Target.Reject r) return "REJECT --reject-with " + rejectWith(r.how(), family);
        if (t instanceof Target.Log l) return "LOG --log-prefix \"" + l.prefix() + "\"";
        if (t instanceof Target.AuditLog l) return "LOG --log-prefix \"" + l.prefix() + "\"";
        if (t instanceof Target.Return) return "RETURN";
        if (t instanceof Target.Jump j) return j.chain();
        throw new IllegalArgumentException("unknown target " + t);
    }

    /** iptables' name for a reject: {@code tcp-reset}, {@code icmp-port-unreachable}, {@code icmp6-port-unreachable}. */
    public static String rejectWith(Target.Reject.How how, Family family) {
        return switch (how) {
            case TCP_RESET -> "tcp-reset";
            case PORT_UNREACHABLE -> family == Family.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable";
        };
    }

    /**
     * An address as glibc's inet_ntop writes it, which is what iptables prints: IPv4 dotted;
     * IPv6 lowercase with the longest run of two or more zero groups (the first of equal runs)
     * as {@code ::}, and the last 32 bits dotted when the first 96 are zero (IPv4-compatible,
     * {@code ::1.2.3.4}) or are {@code ::ffff} (IPv4-mapped, {@code ::ffff:10.0.0.1}).
     */
    public static String address(Address a) {
        if (a.family() == Family.V4) return a.text();
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((a.hi() >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((a.lo() >>> (48 - 16 * i)) & 0xFFFF);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        if (bestLen < 2) bestStart = -1;
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLen) {
                if (i == bestStart) sb.append(':');
                continue;
            }
            if (i != 0) sb.append(':');
            if (i == 6 && bestStart == 0 && (bestLen == 6 || (bestLen == 5 && g[5] == 0xffff))) {
                long v4 = a.lo() & 0xFFFF_FFFFL;
                sb.append((v4 >>> 24) & 255).append('.').append((v4 >>> 16) & 255).append('.')
                        .append((v4 >>> 8) & 255).append('.').append(v4 & 255);
                return sb.toString();
            }
            sb.append(Integer.toHexString(g[i]));
        }
        if (bestStart >= 0 && bestStart + bestLen == 8) sb.append(':');
        return sb.toString();
    }
}
