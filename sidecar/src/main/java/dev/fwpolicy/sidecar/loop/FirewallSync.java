package dev.fwpolicy.sidecar.loop;

import dev.fwpolicy.engine.ir.RuleSet;
import dev.fwpolicy.engine.reconcile.KernelView;

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

    /**
     * The kernel read once (one read-back per family, with counters when asked) and classified
     * against {@code desired} by the engine: what /v1/diff, /v1/state and /v1/evaluate against
     * the kernel answer from. Writes nothing.
     */
    KernelView inspect(RuleSet desired, boolean withCounters);

    /** Takes every fwpolicy rule and chain out of the kernel (for {@code --remove-on-exit}). */
    SyncResult removeAll();
}
