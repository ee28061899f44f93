package dev.fwpolicy.engine.compile;

import dev.fwpolicy.engine.cluster.ClusterInput;
import dev.fwpolicy.engine.parser.Limits;
import dev.fwpolicy.engine.source.SourceFile;
import java.util.List;

/**
 * The engine's front door: policy sources in, canonical rule set and diagnostics out.
 * Several sources (a directory, a ConfigMap's keys) form one rule set. Stateless and
 * thread-safe; bad input never throws.
 */
public final class Compiler {
    private final Limits limits;

    public Compiler(Limits limits) {
        this.limits = limits;
    }

    public Compiler() {
        this(Limits.DEFAULT);
    }

    /**
     * The revision a compile of {@code sources} would carry (a hash of their names and text),
     * also for sources that do not compile: {@code fwpolicy fleet} compares it with what pods enforce.
     */
    public static String revision(List<SourceFile> sources) {
        return PolicyCompiler.revision(sources);
    }

    /**
     * Compiles without a cluster ({@link ClusterInput#NONE}): a rule that uses a dynamic set
     * ({@code pods "…"}, {@code service …}) is a {@code no-cluster-state} error.
     */
    public CompileResult compile(List<SourceFile> sources) {
        return compile(sources, ClusterInput.NONE);
    }

    /**
     * Compiles with the members of dynamic sets taken from {@code cluster}'s snapshot, and
     * {@code pods "…"} / {@code service NAME} written without a namespace read in its
     * {@link ClusterInput#ownNamespace()}.
     *
     * <p>Every dynamic set, and every declared set that includes one, becomes a kernel set in
     * both families whatever its size, even when empty: the rules, their order and their
     * identities depend on the policy only, never on the members. Compiling the same sources
     * with another snapshot gives the same {@code RuleSet.chains()} and {@code jumps()} and
     * differs only in {@code RuleSet.sets()} members, so a caller that follows the cluster
     * (serve's watches) compiles again on a change and the reconciler writes only
     * {@code ipset restore} lines, never an iptables rule.
     */
    public CompileResult compile(List<SourceFile> sources, ClusterInput cluster) {
        return new PolicyCompiler(limits, cluster).compile(sources);
    }
}
