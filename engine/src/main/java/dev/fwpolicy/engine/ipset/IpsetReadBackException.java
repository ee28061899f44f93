package dev.fwpolicy.engine.ipset;

/**
 * {@code ipset save} printed something fwpolicy does not fully understand. Never read as "no
 * sets": a reconciler that took an unreadable read-back for an empty one would recreate and
 * refill every set, or worse, believe a set it cannot see is gone.
 */
public final class IpsetReadBackException extends RuntimeException {

    public IpsetReadBackException(String message) {
        super(message);
    }
}
