package dev.fwpolicy.sidecar.service;

import java.util.Optional;

/**
 * Opens the real kernel side of {@link FirewallSync}: the engine's reconciler for one network
 * namespace and backend.
 *
 * <p>ADAPTER PENDING: the reconciler (engine packages dataplane/reconcile) is developed on its
 * own branch and is not on main yet. Until it is merged this refuses to start, and the service
 * is tested against a fake {@link FirewallSync}.
 */
public final class KernelFirewall {
    private KernelFirewall() {}

    public static FirewallSync open(Optional<String> netns, String backend) {
        throw new IllegalStateException("the reconciler is not available in this build yet (serve needs it to touch the kernel)");
    }
}
