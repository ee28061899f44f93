/**
 * Kubernetes NetworkPolicies as plain records, and their translation into .fwpolicy text
 * ({@code fwpolicy import networkpolicy}). Reading the YAML/JSON is the sidecar's job; the
 * meaning is decided here, next to the language it is translated into.
 */
package dev.fwpolicy.engine.netpol;
