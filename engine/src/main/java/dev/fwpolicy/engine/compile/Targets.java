package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.ast.Action;
import dev.fwpolicy.engine.vocabulary.Verdict;
import dev.fwpolicy.engine.ir.Target;
import dev.fwpolicy.engine.net.Family;
import dev.fwpolicy.engine.net.Protocol;
import java.util.Optional;

/** Actions and verdicts → rule targets. */
final class Targets {
    /** LOG prefixes are capped at 29 characters by the kernel. */
    static final int LOG_PREFIX_MAX = 29;

    private Targets() {}

    static Target of(Action action, Optional<Protocol> protocol, Family family, String policy) {
        return switch (action) {
            case ALLOW -> new Target.Accept();
            case DENY -> new Target.Drop();
            case REJECT -> reject(protocol, family);
            case LOG -> new Target.Log(logPrefix(policy));
        };
    }

    static Target of(Verdict verdict, Family family) {
        return of(Action.of(verdict), Optional.empty(), family, "");
    }

    /** TCP gets a reset (the client sees "connection refused" at once); the rest an ICMP port unreachable. */
    private static Target reject(Optional<Protocol> protocol, Family family) {
        return new Target.Reject(protocol.orElse(null) == Protocol.TCP ? Target.Reject.How.TCP_RESET : Target.Reject.How.PORT_UNREACHABLE);
    }

    /** {@code "fwp audit <policy> "}: what an audited policy (or {@code default}) would have refused. */
    static String auditPrefix(String policy) {
        return logPrefix("audit " + policy);
    }

    /** {@code "fwp <policy> "}: names the policy in the kernel log without tying the rule's hash to a line number. */
    static String logPrefix(String policy) {
        String prefix = "fwp " + policy;
        if (prefix.length() > LOG_PREFIX_MAX - 1) prefix = prefix.substring(0, LOG_PREFIX_MAX - 1);
        return prefix + " ";
    }
}
