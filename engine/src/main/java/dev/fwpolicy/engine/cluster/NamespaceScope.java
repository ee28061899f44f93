package dev.fwpolicy.engine.cluster;

/** Where a pod selector looks: one namespace by name, or every namespace a selector picks. */
public sealed interface NamespaceScope {

    record Named(String name) implements NamespaceScope {}

    record Selected(LabelSelector selector) implements NamespaceScope {}
}
