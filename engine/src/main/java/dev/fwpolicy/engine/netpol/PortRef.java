package dev.fwpolicy.engine.netpol;

/** {@code ports[].port}: a number, or the name of a container port. */
public sealed interface PortRef {

    record Number(int value) implements PortRef {}

    record Named(String name) implements PortRef {}
}
