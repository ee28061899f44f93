package dev.fwpolicy.sidecar.loop;

/**
 * @param name    {@code nft} or {@code legacy}
 * @param version as the tool reports it, e.g. {@code iptables v1.8.9 (nf_tables)}
 * @param reason  why this backend: forced by flag, or what detection saw
 */
public record BackendInfo(String name, String version, String reason) {}
