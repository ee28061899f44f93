package dev.fwpolicy.engine.iptables;

import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.net.Family;

/**
 * The whole rule set of one family as an {@code iptables-restore --noflush} payload for an
 * empty kernel: owned chains declared (which creates or flushes them), their rules, and the
 * jumps from the built-in chains. {@code fwpolicy apply} does not send this: it reads the
 * kernel back and sends only the difference.
 */
public final class RestoreRenderer {
    private RestoreRenderer() {}

    public static String render(RuleSet ruleSet, Family family) {
        var sb = new StringBuilder();
        sb.append("# fwpolicy ").append(family.label()).append(" rule set, revision ").append(ruleSet.revision()).append('\n');
        sb.append("*").append(FilterTable.NAME).append('\n');
        for (var chain : ruleSet.chains(family)) sb.append(':').append(chain.name()).append(" - [0:0]\n");
        for (var jump : ruleSet.jumps(family)) sb.append(RuleSpecs.saveLine(jump)).append('\n');
        for (var chain : ruleSet.chains(family)) {
            for (var rule : chain.rules()) sb.append(RuleSpecs.saveLine(rule)).append('\n');
        }
        sb.append("COMMIT\n");
        return sb.toString();
    }
}
