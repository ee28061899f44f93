package dev.fwpolicy.engine.dataplane;

/**
 * The backend in use and why.
 *
 * @param version          e.g. {@code iptables v1.8.9 (nf_tables)}, as the tool reports it
 * @param reason           "forced by --backend", or the rule counts detection saw
 * @param ownRulesElsewhere fwpolicy's own ({@code fwp1:}) rules detection found in the other
 *                         backend's filter tables: left over from before a backend switch, and
 *                         still in force there, so the reconciler removes them
 */
public record DetectedBackend(Backend backend, String version, String reason, int ownRulesElsewhere) {

    public DetectedBackend(Backend backend, String version, String reason) {
        this(backend, version, reason, 0);
    }

    public Backend other() {
        return backend == Backend.NFT ? Backend.LEGACY : Backend.NFT;
    }
}
