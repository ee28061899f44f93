package dev.fwpolicy.engine.cluster;

/** A namespaced object's {@code namespace/name}, as explanations print it. */
public record ObjectRef(String namespace, String name) implements Comparable<ObjectRef> {

    public String text() {
        return namespace + "/" + name;
    }

    @Override
    public int compareTo(ObjectRef o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return text();
    }
}
