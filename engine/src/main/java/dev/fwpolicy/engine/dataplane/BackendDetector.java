package dev.fwpolicy.engine.dataplane;

import dev.fwpolicy.engine.net.Family;

/**
 * Picks iptables-nft or iptables-legacy the way kubernetes-sigs/iptables-wrappers does:
 * whichever already holds rules (some other component of the host, e.g. kubelet, has
 * chosen), legacy when it holds 10 or more rules or more than nft, nft otherwise
 * (including when neither holds any). Reading with {@code *-save} does not instantiate
 * legacy tables, so detection leaves no trace.
 *
 * <p>It also counts fwpolicy's own rules in the backend it did not choose: after a switch
 * (another program started writing legacy rules, or {@code --backend} changed) the old copy
 * would stay in force beside the new one, each hidden from the other's tools.
 */
public final class BackendDetector {
    private final CommandRunner runner;

    public BackendDetector(CommandRunner runner) {
        this.runner = runner;
    }

    public DetectedBackend detect(BackendChoice choice) {
        if (choice.forced().isPresent()) {
            Backend b = choice.forced().get();
            Backend other = b == Backend.NFT ? Backend.LEGACY : Backend.NFT;
            int elsewhere = read(other).own();
            return new DetectedBackend(b, version(b), "forced by --backend " + b.label() + leftover(other, elsewhere), elsewhere);
        }
        Counts legacy = read(Backend.LEGACY);
        Counts nft = read(Backend.NFT);
        Backend chosen = legacy.rules() >= 10 || legacy.rules() > nft.rules() ? Backend.LEGACY : Backend.NFT;
        String counts = "legacy rules: " + legacy.rules() + ", nft rules: " + nft.rules();
        int elsewhere = (chosen == Backend.LEGACY ? nft : legacy).own();
        Backend other = chosen == Backend.LEGACY ? Backend.NFT : Backend.LEGACY;
        return new DetectedBackend(chosen, version(chosen), "detected (" + counts + ")" + leftover(other, elsewhere), elsewhere);
    }

    private static String leftover(Backend other, int rules) {
        return rules == 0 ? "" : "; " + rules + " fwpolicy rule(s) also in " + other.label() + ", removed there after the next sync";
    }

    private record Counts(int rules, int own) {}

    /** Rule lines across all tables of both families, and how many are fwpolicy's; a missing or failing tool counts as none. */
    private Counts read(Backend backend) {
        int n = 0;
        int own = 0;
        for (Family f : Family.values()) {
            try {
                var r = runner.run(Command.of(backend.save(f)));
                if (!r.ok()) continue;
                for (String line : (Iterable<String>) r.stdout().lines()::iterator) {
                    if (!line.startsWith("-")) continue;
                    n++;
                    if (line.contains("--comment \"fwp1:") || line.contains("--comment fwp1:")) own++;
                }
            } catch (DataplaneException e) {
                // Not installed: this backend holds nothing we could see.
            }
        }
        return new Counts(n, own);
    }

    public String version(Backend backend) {
        var r = runner.run(Command.of(backend.cli(Family.V4), "--version")).requireOk();
        return r.stdout().strip();
    }
}
