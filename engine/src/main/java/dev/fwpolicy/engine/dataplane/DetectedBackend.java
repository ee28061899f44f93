package dev.fwpolicy.engine.dataplane;

/**
 * The backend in use and why.
 *
 * @param version e.g. {@code iptables v1.8.9 (nf_tables)}, as the tool reports it
 * @param reason  "forced by --backend", or the rule counts detection saw
 */
public record DetectedBackend(Backend backend, String version, String reason) {}
