package dev.fwpolicy.engine.iptables;

/**
 * Text printed by iptables that fwpolicy does not fully understand: a read-back line of an
 * unknown kind, a notice, a truncated table, or a rule in an owned chain in a form fwpolicy
 * cannot model. Never means "empty": a reconciler that took it for an empty table would add a
 * second copy of everything.
 */
public class ReadBackException extends RuntimeException {

    public ReadBackException(String message) {
        super(message);
    }
}
