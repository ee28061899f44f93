package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.Optional;

/**
 * One address of a dynamic set and what is behind it: the pod (an endpoint may name none), or
 * the Service whose ClusterIP it is.
 */
public record Member(Address address, Optional<ObjectRef> pod, Optional<ObjectRef> clusterIPOf) {

    public Member(Address address, Optional<ObjectRef> pod) {
        this(address, pod, Optional.empty());
    }

    /** The ClusterIP of {@code service}: no pod has it. */
    public static Member clusterIP(Address address, ObjectRef service) {
        return new Member(address, Optional.empty(), Optional.of(service));
    }

    /** {@code pod shop/frontend-7d9f}, {@code ClusterIP of service shop/api}: what holds the address. */
    public String behind() {
        return pod.map(p -> "pod " + p.text())
                .or(() -> clusterIPOf.map(s -> "ClusterIP of service " + s.text()))
                .orElse("an endpoint that names no pod");
    }

    /** {@code 10.1.0.7 (shop/frontend-7d9f)}: how an explanation names a member. */
    public String describe() {
        return address.text() + pod.map(p -> " (" + p.text() + ")").orElse("");
    }
}
