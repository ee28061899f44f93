package dev.fwpolicy.engine.cluster;

import dev.fwpolicy.engine.net.Address;
import java.util.Optional;

/** One address of a dynamic set and the pod behind it (an endpoint may name no pod). */
public record Member(Address address, Optional<ObjectRef> pod) {

    /** {@code 10.1.0.7 (shop/frontend-7d9f)}: how an explanation names a member. */
    public String describe() {
        return address.text() + pod.map(p -> " (" + p.text() + ")").orElse("");
    }
}
