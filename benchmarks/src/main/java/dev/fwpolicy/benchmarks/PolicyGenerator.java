package dev.fwpolicy.benchmarks;

import dev.fwpolicy.engine.source.SourceFile;

/**
 * Writes a .fwpolicy file of about {@code rules} iptables rules, shaped like a real
 * service's allow-list: many sources, one destination port each, no shadowing.
 */
public final class PolicyGenerator {
    private PolicyGenerator() {}

    public static SourceFile generate(int rules) {
        var sb = new StringBuilder("# generated: ").append(rules).append(" rules\n");
        sb.append("policy generated priority 50 {\n  default inbound deny\n\n  inbound {\n    allow established\n");
        for (int i = 0; i < rules; i++) {
            int net = i / 250;
            int host = i % 250 + 1;
            sb.append("    allow tcp from 10.").append(net / 250).append('.').append(net % 250).append('.').append(host)
                    .append(" to port ").append(1024 + i % 60000).append(" \"client ").append(i).append("\"\n");
        }
        sb.append("  }\n}\n");
        return new SourceFile("generated-" + rules + ".fwpolicy", sb.toString());
    }
}
