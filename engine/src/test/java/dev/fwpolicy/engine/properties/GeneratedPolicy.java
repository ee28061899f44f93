package dev.fwpolicy.engine.properties;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A random but always valid policy model, and its rendering to .fwpolicy text in a random
 * style (spacing, line breaks, comments, member order and duplicates). The same model in
 * any style means the same thing, which is what the properties check.
 */
record GeneratedPolicy(List<Policy> policies) {

    record Policy(String name, int priority, String defaultIn, String defaultOut, List<NamedList> sets,
                  List<NamedList> portSets, List<Rule> inbound, List<Rule> outbound, int kernelSetsAbove) {}

    record NamedList(String name, List<String> members) {}

    /** Addresses: a reference, or literal members, optionally negated (then one literal). */
    record Addr(String ref, List<String> literals, boolean negated) {}

    record Rule(String action, String proto, Addr from, List<String> sports, Addr to, List<String> dports,
                String icmpType, String note) {}

    static GeneratedPolicy random(Random r) {
        var policies = new ArrayList<Policy>();
        int n = 1 + r.nextInt(3);
        for (int p = 0; p < n; p++) {
            var sets = new ArrayList<NamedList>();
            for (int s = 0, k = r.nextInt(3); s < k; s++) sets.add(new NamedList("s" + s, mixedAddresses(r, 1 + r.nextInt(3))));
            var portSets = new ArrayList<NamedList>();
            for (int s = 0, k = r.nextInt(3); s < k; s++) portSets.add(new NamedList("ps" + s, ports(r, 1 + r.nextInt(4))));
            policies.add(new Policy("p" + p, r.nextInt(4) == 0 ? -1 : r.nextInt(200),
                    p == 0 && r.nextBoolean() ? pick(r, "allow", "deny", "reject") : null,
                    p == 0 && r.nextBoolean() ? pick(r, "allow", "deny", "reject") : null,
                    sets, portSets, rules(r, sets, portSets), rules(r, sets, portSets),
                    // Small thresholds, so that the generated sets of 1-3 members become kernel sets too.
                    r.nextInt(3) == 0 ? 1 + r.nextInt(3) : -1));
        }
        return new GeneratedPolicy(policies);
    }

    private static List<Rule> rules(Random r, List<NamedList> sets, List<NamedList> portSets) {
        var out = new ArrayList<Rule>();
        for (int i = 0, k = r.nextInt(7); i < k; i++) {
            String action = pick(r, "allow", "deny", "reject", "log");
            String note = r.nextInt(3) == 0 ? null : pick(r, "web", "a \"quoted\" note", "back\\slash", "ops team", "-j ACCEPT");
            int kind = r.nextInt(10);
            if (kind == 0) {
                out.add(new Rule(action, "established", null, List.of(), null, List.of(), null, note));
                continue;
            }
            if (kind == 1) {
                var from = r.nextBoolean() ? new Addr(null, List.of(v4(r)), false) : null;
                out.add(new Rule(action, "icmp", from, List.of(), null, List.of(), r.nextBoolean() ? "echo-request" : null, note));
                continue;
            }
            String proto = pick(r, "tcp", "udp", "tcp", null);
            Addr from = r.nextInt(3) == 0 ? null : addr(r, sets);
            Addr to = r.nextInt(3) == 0 ? null : addr(r, sets);
            if (to != null && proto != null && r.nextInt(5) == 0) to = new Addr(null, List.of(v4(r)), true);
            List<String> sports = proto != null && from != null && r.nextInt(5) == 0 ? ports(r, 1) : List.of();
            List<String> dports = proto == null || r.nextInt(4) == 0 ? List.of()
                    : !portSets.isEmpty() && r.nextBoolean() ? List.of("$" + portSets.get(r.nextInt(portSets.size())).name())
                    : ports(r, 1 + r.nextInt(3));
            out.add(new Rule(action, proto, from, sports, to, dports, null, note));
        }
        return out;
    }

    private static Addr addr(Random r, List<NamedList> sets) {
        if (!sets.isEmpty() && r.nextBoolean()) return new Addr("$" + sets.get(r.nextInt(sets.size())).name(), List.of(), false);
        return new Addr(null, mixedAddresses(r, 1 + r.nextInt(2)), false);
    }

    /** At least one IPv4 and one IPv6 member, so any two address lists share a family. */
    private static List<String> mixedAddresses(Random r, int extra) {
        var out = new ArrayList<String>();
        out.add(v4(r));
        out.add(v6(r));
        for (int i = 0; i < extra; i++) out.add(r.nextBoolean() ? v4(r) : v6(r));
        return out;
    }

    private static String v4(Random r) {
        return r.nextBoolean() ? "10." + r.nextInt(4) + "." + r.nextInt(256) + ".0/24"
                : "10." + r.nextInt(4) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static String v6(Random r) {
        return r.nextBoolean() ? "2001:db8:" + Integer.toHexString(r.nextInt(4096)) + "::/48"
                : "2001:db8:" + Integer.toHexString(r.nextInt(4096)) + "::" + Integer.toHexString(1 + r.nextInt(65534));
    }

    private static List<String> ports(Random r, int n) {
        var out = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            int a = 1 + r.nextInt(20000);
            out.add(r.nextInt(4) == 0 ? a + "-" + (a + r.nextInt(100)) : Integer.toString(a));
        }
        return out;
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    // ---- rendering ----

    /** How to write the model: whitespace, comments, member order and duplicates vary with the seed. */
    record Style(long seed, boolean shuffleAndDuplicate, boolean comments, boolean inlineSetsExpanded) {}

    String render(Style style) {
        var r = new Random(style.seed());
        var sb = new StringBuilder();
        if (style.comments()) sb.append("# generated ").append(r.nextInt(1000)).append('\n');
        for (var p : policies) {
            sb.append("policy").append(ws(r)).append(p.name());
            if (p.priority() >= 0) sb.append(ws(r)).append("priority").append(ws(r)).append(p.priority());
            sb.append(ws(r)).append("{").append(comment(r, style)).append('\n');
            if (p.defaultIn() != null) sb.append("  default inbound ").append(p.defaultIn()).append(comment(r, style)).append('\n');
            if (p.defaultOut() != null) sb.append("  default outbound ").append(p.defaultOut()).append(comment(r, style)).append('\n');
            if (p.kernelSetsAbove() > 0) {
                sb.append("  kernel-sets").append(ws(r)).append("above").append(ws(r)).append(p.kernelSetsAbove())
                        .append(comment(r, style)).append('\n');
            }
            for (var s : p.sets()) {
                sb.append("  set ").append(s.name()).append(ws(r)).append("=").append(ws(r))
                        .append(list(s.members(), r, style)).append(comment(r, style)).append('\n');
            }
            for (var s : p.portSets()) {
                sb.append("  ports ").append(s.name()).append(ws(r)).append("=").append(ws(r))
                        .append(list(s.members(), r, style)).append(comment(r, style)).append('\n');
            }
            block(sb, "inbound", p.inbound(), r, style);
            block(sb, "outbound", p.outbound(), r, style);
            sb.append("}\n\n");
        }
        return sb.toString();
    }

    private void block(StringBuilder sb, String dir, List<Rule> rules, Random r, Style style) {
        if (rules.isEmpty()) return;
        sb.append("  ").append(dir).append(" {").append(comment(r, style)).append('\n');
        for (var rule : rules) sb.append("    ").append(rule(rule, r, style)).append(comment(r, style)).append('\n');
        sb.append("  }\n");
    }

    private String rule(Rule rule, Random r, Style style) {
        var parts = new ArrayList<String>();
        parts.add(rule.action());
        if ("established".equals(rule.proto())) {
            parts.add("established");
        } else {
            if (rule.proto() != null) parts.add(rule.proto());
            if (rule.from() != null) {
                parts.add("from");
                parts.add(addr(rule.from(), r, style));
                if (!rule.sports().isEmpty()) parts.add("port " + list(rule.sports(), r, style));
            }
            if (rule.to() != null || !rule.dports().isEmpty()) parts.add("to");
            if (rule.to() != null) parts.add(addr(rule.to(), r, style));
            if (!rule.dports().isEmpty()) parts.add("port " + list(rule.dports(), r, style));
            if (rule.icmpType() != null) parts.add("type " + rule.icmpType());
        }
        if (rule.note() != null) parts.add("\"" + rule.note().replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        var sb = new StringBuilder();
        for (var part : parts) {
            if (sb.length() > 0) sb.append(r.nextInt(6) == 0 ? "\n      " : ws(r));
            sb.append(part);
        }
        return sb.toString();
    }

    private String addr(Addr a, Random r, Style style) {
        if (a.ref() != null) return a.ref();
        if (a.negated()) return "not" + ws(r) + "{ " + a.literals().get(0) + " }";
        return list(a.literals(), r, style);
    }

    private static String list(List<String> members, Random r, Style style) {
        var m = new ArrayList<>(members);
        if (style.shuffleAndDuplicate()) {
            Collections.shuffle(m, r);
            if (r.nextBoolean()) m.add(m.get(r.nextInt(m.size())));
        }
        if (m.size() == 1 && r.nextBoolean() && !style.inlineSetsExpanded()) return m.get(0);
        return "{" + ws(r) + String.join("," + ws(r), m) + ws(r) + "}";
    }

    private static String ws(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "  ";
            case 1 -> " \t";
            default -> " ";
        };
    }

    private static String comment(Random r, Style style) {
        return style.comments() && r.nextInt(3) == 0 ? "   # note " + r.nextInt(100) : "";
    }
}
