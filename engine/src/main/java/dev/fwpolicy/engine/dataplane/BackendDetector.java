package dev.fwpolicy.engine.dataplane;

import dev.fwpolicy.engine.net.Family;

/**
 * Picks iptables-nft or iptables-legacy the way kubernetes-sigs/iptables-wrappers does:
 * whichever already holds rules (some other component of the host, e.g. kubelet, has
 * chosen), legacy when it holds 10 or more rules or more than nft, nft otherwise
 * (including when neither holds any). Reading with {@code *-save} does not instantiate
 * legacy tables, so detection leaves no trace.
 */
public final class BackendDetector {
    private final CommandRunner runner;

    public BackendDetector(CommandRunner runner) {
        this.runner = runner;
    }

    public DetectedBackend detect(BackendChoice choice) {
        if (choice.forced().isPresent()) {
            Backend b = choice.forced().get();
            return new DetectedBackend(b, version(b), "forced by --backend " + b.label());
        }
        int legacy = ruleLines(Backend.LEGACY);
        int nft = legacy >= 10 ? -1 : ruleLines(Backend.NFT);
        Backend chosen = legacy >= 10 || legacy > nft ? Backend.LEGACY : Backend.NFT;
        String counts = "legacy rules: " + legacy + (nft < 0 ? "" : ", nft rules: " + nft);
        return new DetectedBackend(chosen, version(chosen), "detected (" + counts + ")");
    }

    /** Rule lines across all tables of both families; a missing or failing tool counts as none. */
    private int ruleLines(Backend backend) {
        int n = 0;
        for (Family f : Family.values()) {
            try {
                var r = runner.run(Command.of(backend.save(f)));
                if (r.ok()) n += (int) r.stdout().lines().filter(l -> l.startsWith("-")).count();
            } catch (DataplaneException e) {
                // Not installed: this backend holds nothing we could see.
            }
        }
        return n;
    }

    public String version(Backend backend) {
        var r = runner.run(Command.of(backend.cli(Family.V4), "--version")).requireOk();
        return r.stdout().strip();
    }
}
