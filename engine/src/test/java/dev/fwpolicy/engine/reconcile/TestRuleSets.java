package dev.fwpolicy.engine.reconcile;

import dev.fwpolicy.engine.iptables.FilterTable;
import dev.fwpolicy.engine.iptables.RuleParser;
import dev.fwpolicy.engine.iptables.RuleRenderer;
import dev.fwpolicy.engine.iptables.RuleSpecs;

import dev.fwpolicy.engine.ir.CompiledRule;
import dev.fwpolicy.engine.ir.OwnedChain;
import dev.fwpolicy.engine.iptables.RuleIdentity;
import dev.fwpolicy.engine.ir.RuleOrigin;
import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built rule sets in the compiler's layout (FWP-INPUT / FWP-OUTPUT dispatching to one
 * chain per policy, jumps from INPUT / OUTPUT), written as iptables-save prints rules on this
 * iptables version (checked against both backends) and read into IR rules by the strict
 * {@link RuleParser}, so the reconciler can be tested before and independently of the
 * compiler. Every rule must render back to exactly the text written here.
 */
public final class TestRuleSets {
    private TestRuleSets() {}

    /** A small, varied policy in both families: the stand-in for the examples. */
    public static RuleSet small() {
        return generate(3, 4, 0);
    }

    /**
     * {@code policies} policy chains per family and direction-in, each with {@code rulesPerPolicy}
     * rules; {@code variant} shifts ports so two variants differ in every rule.
     */
    public static RuleSet generate(int policies, int rulesPerPolicy, int variant) {
        var b = new Builder();
        for (Family f : Family.values()) {
            var input = b.chain(f, "FWP-INPUT");
            input.rule("-i lo", "loopback", "-j ACCEPT");
            for (int p = 0; p < policies; p++) {
                String chain = "FWP-I-pol" + p;
                input.rule("", "policy pol" + p, "-j " + chain);
                var pc = b.chain(f, chain);
                for (int r = 0; r < rulesPerPolicy; r++) pc.rule(tcpRule(f, p, r, variant));
                if (rulesPerPolicy > 0) pc.rule(icmpRule(f, "pol" + p));
            }
            input.rule("", "default deny", "-j REJECT --reject-with " + (f == Family.V4 ? "icmp-port-unreachable" : "icmp6-port-unreachable"));
            var output = b.chain(f, "FWP-OUTPUT");
            output.rule("-o lo", "loopback", "-j ACCEPT");
            output.rule("", "default allow", "-j ACCEPT");
            b.jump(f, "INPUT", "FWP-INPUT");
            b.jump(f, "OUTPUT", "FWP-OUTPUT");
        }
        return b.build("test-" + policies + "x" + rulesPerPolicy + "v" + variant);
    }

    /** A single-policy set with {@code n} rules in FWP-I-pol0 (IPv4 only), to measure big chains. */
    public static RuleSet big(int n, int editedRule) {
        var b = new Builder();
        var input = b.chain(Family.V4, "FWP-INPUT");
        input.rule("-i lo", "loopback", "-j ACCEPT");
        input.rule("", "policy big", "-j FWP-I-big");
        input.rule("", "default deny", "-j REJECT --reject-with icmp-port-unreachable");
        var pc = b.chain(Family.V4, "FWP-I-big");
        for (int r = 0; r < n; r++) {
            String[] parts = tcpRule(Family.V4, r / 250, r % 250, r == editedRule ? 1 : 0);
            pc.rule(parts);
        }
        b.jump(Family.V4, "INPUT", "FWP-INPUT");
        return b.build("big-" + n + "-" + editedRule);
    }

    private static String[] tcpRule(Family f, int p, int r, int variant) {
        String src = f == Family.V4 ? "10." + (p % 250) + "." + (r / 250) + "." + (r % 250 + 1) + "/32"
                : "2001:db8:" + Integer.toHexString(p + 1) + "::" + Integer.toHexString(r + 1) + "/128"; // canonical form, as printed
        int port = 1000 + (r % 50) * 10 + variant;
        String action = r % 3 == 2 ? "-j DROP" : "-j ACCEPT";
        return new String[] {"-s " + src + " -p tcp", "pol" + p + " file.fwpolicy:" + (r + 3) + " allow tcp " + port,
                "-m tcp --dport " + port + " " + action};
    }

    private static String[] icmpRule(Family f, String policy) {
        return f == Family.V4
                ? new String[] {"-p icmp", policy + " ping", "-m icmp --icmp-type 8 -j ACCEPT"}
                : new String[] {"-p ipv6-icmp", policy + " ping", "-m icmp6 --icmpv6-type 128 -j ACCEPT"};
    }

    /** Replaces rule {@code index} of {@code chain} by a rule with a different port (so a different id). */
    public static RuleSet withEditedRule(RuleSet set, Family family, String chain, int index) {
        var b = new Builder();
        for (OwnedChain c : set.chains()) {
            var cb = b.chain(c.family(), c.name());
            for (int i = 0; i < c.rules().size(); i++) {
                CompiledRule r = c.rules().get(i);
                String spec = RuleSpecs.spec(r);
                if (c.family() == family && c.name().equals(chain) && i == index) {
                    spec = spec.contains("--dport ") ? spec.replaceFirst("--dport (\\d+)", "--dport 65000") : spec.replace("-j ACCEPT", "-j DROP");
                }
                cb.rawSpec(spec);
            }
        }
        set.jumps().forEach(j -> b.jump(j.family(), j.chain(), ((Target.Jump) j.target()).chain()));
        return b.build(set.revision() + "-edited");
    }

    /**
     * The same rules (same ids: the hash leaves the comment out) with {@code note} appended to
     * every comment, as when a policy file gains a line above its rules.
     */
    public static RuleSet withComments(RuleSet set, String note) {
        var b = new Builder();
        for (OwnedChain c : set.chains()) {
            var cb = b.chain(c.family(), c.name());
            for (CompiledRule r : c.rules()) {
                String spec = RuleSpecs.spec(r);
                int end = spec.indexOf('"', spec.indexOf("--comment \"") + 11);
                cb.rawSpec(spec.substring(0, end) + " " + note + spec.substring(end));
            }
        }
        set.jumps().forEach(j -> b.jump(j.family(), j.chain(), ((Target.Jump) j.target()).chain()));
        return b.build(set.revision() + "-" + note);
    }

    /** Builds rules the way the compiler does: hash over the body without the comment, per chain occurrence. */
    public static final class Builder {
        private final Map<String, ChainBuilder> chains = new LinkedHashMap<>();
        private final List<CompiledRule> jumps = new ArrayList<>();

        public ChainBuilder chain(Family family, String name) {
            return chains.computeIfAbsent(family + "/" + name, k -> new ChainBuilder(family, name));
        }

        public Builder jump(Family family, String builtin, String target) {
            jumps.add(make(family, builtin, "", "jump " + target, "-j " + target, 0));
            return this;
        }

        public RuleSet build(String revision) {
            var owned = chains.values().stream().map(c -> new OwnedChain(c.family, c.name, c.rules)).toList();
            return new RuleSet(owned, jumps, revision);
        }
    }

    public static final class ChainBuilder {
        private final Family family;
        private final String name;
        private final List<CompiledRule> rules = new ArrayList<>();
        private final Map<String, Integer> occurrences = new HashMap<>();

        ChainBuilder(Family family, String name) {
            this.family = family;
            this.name = name;
        }

        public ChainBuilder rule(String before, String human, String after) {
            String body = (before.isEmpty() ? "" : before + " ") + after;
            int occurrence = occurrences.merge(body, 1, Integer::sum) - 1;
            rules.add(make(family, name, before, human, after, occurrence));
            return this;
        }

        public ChainBuilder rule(String[] parts) {
            return rule(parts[0], parts[1], parts[2]);
        }

        /** Re-adds a rule from a full spec (comment included): used to derive edited sets. */
        public ChainBuilder rawSpec(String spec) {
            int start = spec.indexOf("-m comment --comment \"");
            int end = spec.indexOf('"', start + 22);
            String before = spec.substring(0, start).strip();
            String comment = spec.substring(start + 22, end);
            String human = comment.contains(" ") ? comment.substring(comment.indexOf(' ') + 1) : "";
            return rule(before, human, spec.substring(end + 1).strip());
        }
    }

    static CompiledRule make(Family family, String chain, String before, String human, String after, int occurrence) {
        String body = (before.isEmpty() ? "" : before + " ") + after;
        var parsed = RuleParser.parse(family, chain, body);
        if (!RuleRenderer.body(family, parsed.match(), parsed.target(), chain).equals(body)) {
            throw new IllegalArgumentException("not in iptables-save's form: " + body);
        }
        String id = RuleIdentity.hash(family, FilterTable.NAME, chain, body, occurrence);
        return new CompiledRule(id, family, chain, parsed.match(), parsed.target(), human,
                RuleOrigin.implicit(RuleOrigin.Kind.RULE, human));
    }
}
