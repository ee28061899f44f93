package dev.fwpolicy.engine.netpol;

/** {@code policyTypes}: which directions a NetworkPolicy isolates. */
public enum PolicyType {
    INGRESS, EGRESS
}
