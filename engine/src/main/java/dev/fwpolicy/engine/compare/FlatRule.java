package dev.fwpolicy.engine.compare;

/**
 * One deciding rule of a (direction, family) with the jumps that lead to it folded into its
 * match: netfilter's walk through nested chains is a first match over these, in order.
 *
 * @param dims    per {@link Dim}, the sorted disjoint ranges the packet must lie in; null = any
 * @param outcome the verdict and the compiled rule that decides (a built-in policy has none)
 */
record FlatRule(ValueRange[][] dims, Outcome outcome) {}
