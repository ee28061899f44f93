package dev.fwpolicy.engine.ast;

import dev.fwpolicy.engine.source.Span;

/**
 * {@code kernel-sets above N}: in this policy, a declared set that holds more than {@code N}
 * networks in a family becomes a kernel set. It wins over the command line's
 * {@code --kernel-sets-above}, which wins over the default.
 *
 * @param threshold 1 to the largest kernel set size, checked where it was parsed
 */
public record KernelSetsDecl(int threshold, Span span) implements PolicyItem {}
