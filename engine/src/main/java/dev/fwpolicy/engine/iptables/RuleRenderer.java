package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.AddressMatch;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.Match;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.PortRange;
import dev.fwpolicy.engine.net.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders one rule's spec exactly as {@code iptables-save} (1.8, both backends) prints it
 * back: basic matches first ({@code -s -d -i/-o -p}), then the match modules in the order
 * they were given — the comment first, so the identity is the rule's first comment, then
 * kernel set matches (source, destination), ports, ICMP, conntrack — then the target.
 * Rendering the kernel's own form lets a restarted fwpolicy compare read-back lines with its
 * rule set and adopt them without a write. {@link RuleParser} reads it back. Callers on a hot
 * path use {@link RuleSpecs}, which keeps each rule's rendering.
 */
public final class RuleRenderer {
    /** The rate of an audit log rule, as iptables-save prints it (the default burst of 5 is not printed). */
    static final String AUDIT_LOG_LIMIT = "-m limit --limit 10/min";

    private RuleRenderer() {}

    /** The rule's spec with its identity comment: everything after {@code -A CHAIN }. */
    public static String spec(CompiledRule r) {
        String comment = IdentityComment.text(r.id(), r.label(), IdentityComment.MAX_BYTES);
        return render(r.family(), r.match(), r.target(), Optional.of(comment), interfaceFlag(r.chain(), r.match()));
    }

    /**
     * The spec without any comment: the bytes {@link RuleIdentity} hashes for a rule of
     * {@code family} in {@code chain} (frozen for fwp1).
     */
    public static String body(Family family, Match m, Target target, String chain) {
        return render(family, m, target, Optional.empty(), interfaceFlag(chain, m));
    }

    /** {@code -i} in inbound chains, {@code -o} in outbound ones: only asked of a loopback match. */
    private static String interfaceFlag(String chain, Match m) {
        if (!m.loopbackInterface()) return "";
        return ChainNames.directionOf(chain).map(ChainNames::interfaceFlag)
                .orElseThrow(() -> new IllegalArgumentException("a loopback match in " + chain + ", a chain of no direction"));
    }

    /**
     * @param comment the full comment text (already sanitised), or empty for the hashed body
     * @param interfaceFlag {@code -i} or {@code -o}, used when the match is on loopback
     */
    private static String render(Family family, Match m, Target target, Optional<String> comment, String interfaceFlag) {
        var sb = new StringBuilder();
        m.source().filter(a -> a.set().isEmpty()).ifPresent(a -> sb.append(' ').append(IptablesText.addressMatch("-s", a)));
        m.destination().filter(a -> a.set().isEmpty()).ifPresent(a -> sb.append(' ').append(IptablesText.addressMatch("-d", a)));
        if (m.loopbackInterface()) sb.append(' ').append(interfaceFlag).append(" lo");
        m.protocol().ifPresent(p -> sb.append(" -p ").append(IptablesText.protocol(p)));
        comment.ifPresent(c -> sb.append(" -m comment --comment \"").append(c).append('"'));
        m.source().ifPresent(a -> appendSet(sb, a, "src"));
        m.destination().ifPresent(a -> appendSet(sb, a, "dst"));
        m.protocol().filter(Protocol::hasPorts).ifPresent(p -> appendPorts(sb, p, m.sourcePorts(), m.destinationPorts()));
        m.icmpType().ifPresent(t -> {
            if (m.protocol().orElse(Protocol.ICMP) == Protocol.ICMPV6) sb.append(" -m icmp6 --icmpv6-type ").append(t);
            else sb.append(" -m icmp --icmp-type ").append(t);
        });
        if (m.established()) sb.append(" -m conntrack --ctstate RELATED,ESTABLISHED");
        if (target instanceof Target.AuditLog) sb.append(' ').append(AUDIT_LOG_LIMIT);
        sb.append(" -j ").append(IptablesText.target(target, family));
        return sb.substring(1);
    }

    /** A kernel set match, as iptables-save prints it on both backends: {@code -m set [!] --match-set NAME src}. */
    private static void appendSet(StringBuilder sb, AddressMatch a, String direction) {
        a.set().ifPresent(set -> sb.append(" -m set ").append(a.negated() ? "! " : "").append("--match-set ").append(set.name())
                .append(' ').append(direction));
    }

    /** Single ranges go in the protocol's own match; lists need multiport (at most 15 entries). */
    private static void appendPorts(StringBuilder sb, Protocol p, List<PortRange> sports, List<PortRange> dports) {
        boolean simpleS = sports.size() == 1;
        boolean simpleD = dports.size() == 1;
        if (simpleS || simpleD) {
            sb.append(" -m ").append(IptablesText.protocol(p));
            if (simpleS) sb.append(" --sport ").append(IptablesText.port(sports.get(0)));
            if (simpleD) sb.append(" --dport ").append(IptablesText.port(dports.get(0)));
        }
        if (sports.size() > 1) sb.append(" -m multiport --sports ").append(join(sports));
        if (dports.size() > 1) sb.append(" -m multiport --dports ").append(join(dports));
    }

    private static String join(List<PortRange> ranges) {
        return ranges.stream().map(IptablesText::port).collect(Collectors.joining(","));
    }
}
