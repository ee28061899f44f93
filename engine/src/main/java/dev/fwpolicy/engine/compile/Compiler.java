package dev.fwpolicy.engine.compile;

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

    public CompileResult compile(List<SourceFile> sources) {
        return new PolicyCompiler(limits).compile(sources);
    }
}
