package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Protocol;
import java.util.Optional;

/** One {@code containers[].ports[]} entry; NetworkPolicies name ports by {@code name}. */
public record ContainerPort(Optional<String> name, int port, Protocol protocol) {}
