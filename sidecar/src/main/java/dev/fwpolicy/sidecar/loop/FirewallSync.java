package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.ir.RuleSet;

/**
 * What the service needs from the kernel side: the reconciler, seen through the few calls the
 * loop and the HTTP API make. A seam of its own so the service can be tested without root, and
 * so the service holds no firewall logic: every method delegates to the engine.
 *
 * <p>Every method blocks (it runs processes): call it through {@code executeBlocking}, never on
 * an event loop. Implementations serialise calls themselves.
 */
public interface FirewallSync {

    /** The backend in use (detected or forced), for /v1/status. */
    BackendInfo backend();

    /** Makes the kernel equal to {@code desired}; throws when it cannot (the previous rules stay). */
    SyncResult sync(RuleSet desired);

    /** What {@link #sync} would change now; writes nothing. */
    DiffView plan(RuleSet desired);

    /** What the kernel holds now in fwpolicy's chains, each rule marked against {@code desired}. */
    KernelState state(RuleSet desired);

    /** Takes every fwpolicy rule and chain out of the kernel (for {@code --remove-on-exit}). */
    SyncResult removeAll();
}
