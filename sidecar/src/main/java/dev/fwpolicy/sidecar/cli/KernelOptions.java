package dev.fwpolicy.sidecar.cli;

import dev.fwpolicy.engine.dataplane.BackendChoice;
import dev.fwpolicy.engine.reconcile.Reconciler;
import picocli.CommandLine.Option;

/** The options every subcommand that talks to the kernel shares (picocli mixin). */
public final class KernelOptions {
    @Option(names = "--netns", paramLabel = "NAME",
            description = "Run every iptables command inside this network namespace (ip netns exec NAME ...).")
    String netns;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|nft|legacy",
            description = "iptables backend; auto picks the one that already holds rules, nft when neither (default: ${DEFAULT-VALUE}).")
    String backend;

    /** Detects the backend (runs *-save), so call it only once the policy compiled. */
    public Reconciler reconciler() {
        return Reconciler.open(BackendChoice.parse(backend), java.util.Optional.ofNullable(netns));
    }
}
