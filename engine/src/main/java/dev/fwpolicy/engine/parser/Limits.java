package dev.fwpolicy.engine.parser;

/**
 * Hard limits on policy input, so that a huge or hostile ConfigMap cannot exhaust the
 * sidecar. Each one is reported as a {@code limit-exceeded} error, never a crash.
 */
public record Limits(int maxFileBytes, int maxCompiledRules, int maxNesting) {

    public static final Limits DEFAULT = new Limits(4 * 1024 * 1024, 200_000, 16);
}
