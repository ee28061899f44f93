package dev.fwpolicy.engine.cluster;

/**
 * What a dynamic set follows. The sidecar's own namespace is already substituted: the
 * engine resolves only concrete namespaces.
 */
public sealed interface MemberSource {

    /** Pods matching {@code pods} in the namespaces of {@code scope} ({@code pods in shop} selects everything). */
    record Pods(LabelSelector pods, NamespaceScope scope) implements MemberSource {}

    /** The endpoints of a Service's EndpointSlices. */
    record ServiceEndpoints(ObjectRef service) implements MemberSource {}
}
