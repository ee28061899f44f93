package dev.fwpolicy.engine.parser;

/**
 * Hard limits on policy input, so that a huge or hostile ConfigMap cannot exhaust the
 * sidecar. Each one is reported as a {@code limit-exceeded} error, never a crash.
 */
public record Limits(int maxFileBytes, int maxCompiledRules, int maxNesting, int kernelSetThreshold, int maxSetMembers) {

    /** A set referenced by a rule becomes a kernel set when it holds more networks than this in a family. */
    public static final int DEFAULT_KERNEL_SET_THRESHOLD = 8;
    /** ipset's default {@code maxelem}; a kernel set with more members is a {@code limit-exceeded} error. */
    public static final int DEFAULT_MAX_SET_MEMBERS = 65_536;

    public static final Limits DEFAULT = new Limits(4 * 1024 * 1024, 200_000, 16, DEFAULT_KERNEL_SET_THRESHOLD, DEFAULT_MAX_SET_MEMBERS);

    public Limits {
        if (kernelSetThreshold < 1) throw new IllegalArgumentException("kernel set threshold must be at least 1");
    }

    /** The given input limits with the default kernel set threshold and size. */
    public Limits(int maxFileBytes, int maxCompiledRules, int maxNesting) {
        this(maxFileBytes, maxCompiledRules, maxNesting, DEFAULT_KERNEL_SET_THRESHOLD, DEFAULT_MAX_SET_MEMBERS);
    }

    public Limits withKernelSetThreshold(int threshold) {
        return new Limits(maxFileBytes, maxCompiledRules, maxNesting, threshold, maxSetMembers);
    }
}
