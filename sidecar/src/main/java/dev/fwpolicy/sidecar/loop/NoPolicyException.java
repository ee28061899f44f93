package dev.fwpolicy.sidecar.loop;

/** Asked about the kernel or for a sync before any policy compiled. */
public final class NoPolicyException extends RuntimeException {
    public NoPolicyException(String message) {
        super(message);
    }
}
