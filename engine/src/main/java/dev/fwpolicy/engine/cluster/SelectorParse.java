package dev.fwpolicy.engine.cluster;

/** The outcome of reading a selector string: the selector, or the first problem in it. */
public sealed interface SelectorParse {

    record Parsed(LabelSelector selector) implements SelectorParse {}

    record Invalid(SelectorError error) implements SelectorParse {}
}
