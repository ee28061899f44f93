package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.source.SourceFile;

/**
 * Writes a .fwpolicy file of about {@code rules} iptables rules, shaped like a real
 * service's allow-list: many sources, one destination port each, no shadowing.
 */
public final class PolicyGenerator {
    private PolicyGenerator() {}

    public static SourceFile generate(int rules) {
        return generate(rules, -1);
    }

    /**
     * The same policy with rule {@code editedIndex} (0-based; -1 for none) given another port:
     * a one-rule change, which compiles to one rule with a new identity in the same place.
     */
    public static SourceFile generate(int rules, int editedIndex) {
        var sb = new StringBuilder("# generated: ").append(rules).append(" rules\n");
        sb.append("policy generated priority 50 {\n  default inbound deny\n\n  inbound {\n    allow established\n");
        for (int i = 0; i < rules; i++) {
            int net = i / 250;
            int host = i % 250 + 1;
            sb.append("    allow tcp from 10.").append(net / 250).append('.').append(net % 250).append('.').append(host)
                    .append(" to port ").append(i == editedIndex ? 65001 : 1024 + i % 60000).append(" \"client ").append(i).append("\"\n");
        }
        sb.append("  }\n}\n");
        return new SourceFile("generated-" + rules + ".fwpolicy", sb.toString());
    }

    /**
     * A reviewed edit of {@link #generate}{@code (rules)}, as one change of a large allow-list
     * might be: every 100th rule gets another port, every 250th is dropped, and one client in
     * 500 is added from a new network; still about {@code rules} rules.
     */
    public static SourceFile revised(int rules) {
        var sb = new StringBuilder("# generated: ").append(rules).append(" rules, revised\n");
        sb.append("policy generated priority 50 {\n  default inbound deny\n\n  inbound {\n    allow established\n");
        for (int i = 0; i < rules; i++) {
            if (i % 250 == 125) continue;
            int net = i / 250;
            int host = i % 250 + 1;
            int port = i % 100 == 50 ? 65002 : 1024 + i % 60000;
            sb.append("    allow tcp from 10.").append(net / 250).append('.').append(net % 250).append('.').append(host)
                    .append(" to port ").append(port).append(" \"client ").append(i).append("\"\n");
            if (i % 500 == 0) {
                sb.append("    allow tcp from 172.16.").append(i / 500 % 250).append(".0/24 to port 443 \"new client ").append(i).append("\"\n");
            }
        }
        sb.append("  }\n}\n");
        return new SourceFile("revised-" + rules + ".fwpolicy", sb.toString());
    }

    /**
     * {@code rules} rules that all allow port 80, each from its own host: the shape that made
     * the shadow analysis quadratic (issue 12), which {@link #generate} hides by giving every
     * rule its own port. Same size and sources as {@link #generate}, so the two compare.
     */
    public static SourceFile samePort(int rules) {
        var sb = new StringBuilder("# generated: ").append(rules).append(" rules on one port\n");
        sb.append("policy same-port priority 50 {\n  default inbound deny\n\n  inbound {\n    allow established\n");
        for (int i = 0; i < rules; i++) {
            int net = i / 250;
            int host = i % 250 + 1;
            sb.append("    allow tcp from 10.").append(net / 250).append('.').append(net % 250).append('.').append(host)
                    .append(" to port 80 \"client ").append(i).append("\"\n");
        }
        sb.append("  }\n}\n");
        return new SourceFile("same-port-" + rules + ".fwpolicy", sb.toString());
    }
}
